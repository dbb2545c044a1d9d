using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mailroom.Core.OAuth;
using Mailroom.Core.Security;
using Mailroom.Core.Settings;
using Mailroom.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Server.Tests;

/// <summary>
/// The OAuth2 API and the whole sending path with it: device-code sign-in, XOAUTH2 delivery through the
/// worker to the real Postfix/Dovecot, revocation holding the mail with a reason, signing in again
/// releasing it — and no token or client secret in the database, the data folder or the logs.
/// </summary>
public class OAuthApiTests
{
    private static MailroomServerFactory Factory(MailTestbed bed) => new(withBootstrapKey: true, configure: b =>
    {
        b.UseSetting("Mailroom:Delivery:PollInterval", "00:00:00.100");
        b.UseSetting("Mailroom:Delivery:SmtpTimeout", "00:00:15");
        b.UseSetting("Mailroom:Delivery:RetryDelays", "00:10:00, 00:20:00");
        foreach (var (key, value) in bed.OAuth2.MailroomSettings()) b.UseSetting(key, value);
    });

    private static Task<string> SendAsync(HttpClient client, string to, string subject) =>
        QueueDriving.PostMessageAsync(client, new { to = new[] { to }, subject, text = "Sent with XOAUTH2." });

    private static async Task<string> DeviceSignInAsync(HttpClient admin, MailTestbed bed, string username, string scope = "global")
    {
        var started = await (await admin.PostAsJsonAsync("/api/oauth/device/start", new { provider = "microsoft365", scope })).ReadJsonAsync();
        var handle = (string)started["handle"]!;
        Assert.StartsWith(bed.OAuth2.Issuer, (string)started["verificationUri"]!);
        Assert.Contains((string)started["userCode"]!, (string)started["message"]!);
        var pending = await (await admin.PostAsJsonAsync("/api/oauth/device/poll", new { handle })).ReadJsonAsync();
        Assert.Equal("pending", (string?)pending["status"]);

        await bed.OAuth2.ApproveDeviceAsync((string)started["userCode"]!, username);
        var done = await (await admin.PostAsJsonAsync("/api/oauth/device/poll", new { handle })).ReadJsonAsync();
        Assert.Equal("done", (string?)done["status"]);
        return (string)done["account"]!;
    }

    [MailTestbedFact]
    public async Task DeviceCode_XOAuth2Delivery_RevocationHolds_SignInAgainReleases_AndNoSecretIsKeptInTheClear()
    {
        var bed = MailTestbed.Instance;
        {
            using var factory = Factory(bed);
            var admin = factory.Admin();
            (await admin.PutJsonAsync("/api/settings/port-policy", new { additionalPorts = new[] { bed.SubmissionPort } })).EnsureSuccessStatusCode();
            var saved = await admin.PutJsonAsync("/api/settings/global", new
            {
                host = bed.Host, port = bed.SubmissionPort, encryption = "startTls", authentication = "oauth2Microsoft365",
                senderMode = "microsoft365OAuth", certificateSha256 = bed.CertificateSha256,
            });
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());

            Assert.Equal(bed.UserName, await DeviceSignInAsync(admin, bed, bed.UserName));
            var grant = await (await admin.GetAsync("/api/oauth/grants/global")).ReadJsonAsync();
            Assert.Equal(bed.UserName, (string?)grant["account"]);
            Assert.Equal("delegated", (string?)grant["kind"]);

            var subject = "oauth-api " + Guid.NewGuid().ToString("N");
            var sent = await QueueDriving.WaitForStatusAsync(admin, await SendAsync(admin, bed.UserName, subject), "sent", "held", "failed", "deferred");
            Assert.True((string?)sent["status"] == "sent", sent.ToJsonString());
            await bed.WaitForMessagesAsync(bed.UserName, m => m.Subject == subject, TimeSpan.FromSeconds(30));

            // Secrets: the refresh token, the access token and the client secret are nowhere in the clear.
            var stored = await factory.Services.GetRequiredService<IOAuthGrantStore>().GetAsync(ProfileScope.Global);
            var refreshToken = factory.Services.GetRequiredService<ISecretProtector>().Unprotect(stored!.ProtectedRefreshToken!);
            var accessToken = (await factory.Services.GetRequiredService<IOAuthTokenSource>().GetForSenderAsync(null, OAuthProvider.Microsoft365)).Token;
            var everythingStored = factory.AllStoredBytesAsText();
            var everythingLogged = string.Join("\n", factory.LogLines);
            foreach (var secret in new[] { refreshToken, accessToken, bed.OAuth2.ClientSecret })
            {
                Assert.DoesNotContain(secret, everythingStored);
                Assert.DoesNotContain(secret, everythingLogged);
                Assert.DoesNotContain(secret, grant.ToJsonString());
            }

            // Anna signs in for her own profile, then revokes Mailroom's access: her next message is
            // held with the reason, never silently lost. (Her own token means a new SMTP session: one
            // already authenticated stays usable until it closes, as with any SMTP login.)
            var anna = await factory.NewUserAsync("anna", "anna@example.test");
            Assert.Equal(bed.UserName, await DeviceSignInAsync(anna, bed, bed.UserName, "me"));
            var annasGrant = await factory.Services.GetRequiredService<IOAuthGrantStore>().GetAsync(ProfileScope.ForUser("anna"));
            await bed.OAuth2.RevokeAsync(factory.Services.GetRequiredService<ISecretProtector>().Unprotect(annasGrant!.ProtectedRefreshToken!)); // its access tokens die with it
            var heldId = await SendAsync(anna, bed.UserName, "oauth-held " + Guid.NewGuid().ToString("N"));
            var held = await QueueDriving.WaitForStatusAsync(anna, heldId, "held", "sent", "failed");
            Assert.Equal("held", (string?)held["status"]);
            Assert.Contains("sign in again", (string?)held["statusReason"]);

            // Signing in again releases the held mail, which is then sent.
            Assert.Equal(bed.UserName, await DeviceSignInAsync(anna, bed, bed.UserName, "me"));
            var released = await QueueDriving.WaitForStatusAsync(anna, heldId, "sent", "failed");
            Assert.Equal("sent", (string?)released["status"]);
        }
    }

    [MailTestbedFact]
    public async Task AppOnly_IsForAdministrators_AndValidatesTheMailbox()
    {
        var bed = MailTestbed.Instance;
        using var factory = Factory(bed);
        var anna = await factory.NewUserAsync("anna", "anna@example.test");

        Assert.Equal(HttpStatusCode.Forbidden, (await anna.PostAsJsonAsync("/api/oauth/app-only", new { scope = "global", mailbox = bed.UserName })).StatusCode);
        var invalid = await factory.Admin("pl").PostAsJsonAsync("/api/oauth/app-only", new { scope = "global", mailbox = "not an address" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("mailbox", await invalid.Content.ReadAsStringAsync());
        // a user may not sign in for the global profile, nor for someone else
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.PostAsJsonAsync("/api/oauth/device/start", new { provider = "microsoft365", scope = "global" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.PostAsJsonAsync("/api/oauth/device/start", new { provider = "microsoft365", scope = "user:admin" })).StatusCode);
        var unknown = await anna.PostAsJsonAsync("/api/oauth/device/start", new { provider = "yahoo", scope = "me" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("provider", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync("/api/oauth/grants/me")).StatusCode);
    }

    [Fact]
    public async Task WithoutAClientId_DeviceSignInSaysWhatToConfigure_InPolish()
    {
        using var factory = new MailroomServerFactory();
        var response = await factory.Admin("pl").PostAsJsonAsync("/api/oauth/device/start", new { provider = "google", scope = "global" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal(OAuthProblemException.NotConfigured, (string?)problem["code"]);
        Assert.Contains("nie jest skonfigurowany", (string?)problem["title"]);
    }
}
