using Mailroom.Core.Audit;
using Mailroom.Core.Settings;
using Mailroom.Core.Storage;
using Mailroom.Core.Users;

namespace Mailroom.Storage.Compliance;

/// <summary>What every backend's <see cref="ISettingsStore"/> must do.</summary>
public abstract class SettingsStoreCompliance : IAsyncLifetime
{
    private IStorageBackend? _backend;

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    protected IStorageBackend Backend => _backend!;

    protected ISettingsStore Settings => _backend!.Settings;

    public async Task InitializeAsync() => _backend = await CreateBackendAsync();

    public async Task DisposeAsync()
    {
        if (_backend is not null) await _backend.DisposeAsync();
    }

    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static SettingsAuditEntry Audit(string target, params string[] fields) => new(T0, "admin", target, fields);

    private static readonly SenderProfile Full = new()
    {
        Enabled = true,
        AccountName = "Comarch DMS",
        FromAddress = "powiadomienia@firma.pl",
        DisplayName = "Comarch DMS – powiadomienia",
        ReplyTo = "biuro@firma.pl",
        Description = "Konto do powiadomień\nz drugą linią",
        Host = "smtp.wp.pl",
        Port = 587,
        Encryption = EncryptionMode.StartTls,
        Authentication = AuthenticationMethod.Password,
        Login = "powiadomienia@firma.pl",
        ProtectedPassword = "CfDJ8-ciphertext",
        Bcc = "archiwum@firma.pl",
        Signature = "Pozdrawiam,\nAnna",
        SenderMode = SenderMode.OwnSmtp,
        CertificateSha256 = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
        RateLimitPerMinute = 30,
        RateLimitPerDay = 2000,
    };

    [Fact]
    public async Task NeverSavedProfile_IsNull()
    {
        Assert.Null(await Settings.GetProfileAsync(ProfileScope.Global));
        Assert.Null(await Settings.GetProfileAsync(ProfileScope.ForUser("anna")));
    }

    [Fact]
    public async Task SavedProfile_RoundTripsEveryField_PerScope()
    {
        await Settings.SaveProfileAsync(ProfileScope.Global, Full, Audit("global", "host"));
        var userProfile = new SenderProfile { Login = "anna@firma.pl" };
        await Settings.SaveProfileAsync(ProfileScope.ForUser("anna"), userProfile, Audit("user:anna", "login"));

        Assert.Equal(Full, await Settings.GetProfileAsync(ProfileScope.Global));
        Assert.Equal(userProfile, await Settings.GetProfileAsync(ProfileScope.ForUser("anna")));
        Assert.Null(await Settings.GetProfileAsync(ProfileScope.ForUser("jan")));
    }

    [Fact]
    public async Task SavingAgain_ReplacesTheWholeProfile()
    {
        await Settings.SaveProfileAsync(ProfileScope.Global, Full, Audit("global", "host"));
        var smaller = new SenderProfile { Host = "smtp.onet.pl", Port = 465 };
        await Settings.SaveProfileAsync(ProfileScope.Global, smaller, Audit("global", "host"));

        Assert.Equal(smaller, await Settings.GetProfileAsync(ProfileScope.Global));
    }

    [Fact]
    public async Task SaveWhoseAuditCannotBeWritten_SavesNothing()
    {
        await Settings.SaveProfileAsync(ProfileScope.Global, Full, Audit("global", "host"));

        // An audit entry without an actor violates the schema: the profile write must roll back with it.
        var broken = new SettingsAuditEntry(T0, null!, "global", ["host"]);
        await Assert.ThrowsAnyAsync<Exception>(() => Settings.SaveProfileAsync(ProfileScope.Global, new SenderProfile { Host = "evil.example" }, broken));

        Assert.Equal(Full, await Settings.GetProfileAsync(ProfileScope.Global));
        Assert.Single(await Settings.GetAuditTrailAsync(null, 10));
    }

    [Fact]
    public async Task DeploymentSettings_DefaultUntilSaved_ThenRoundTrip()
    {
        Assert.Equal(DeploymentSettings.Default.SharedSenderUserId, (await Settings.GetDeploymentSettingsAsync()).SharedSenderUserId);
        Assert.Empty((await Settings.GetDeploymentSettingsAsync()).PortPolicy.AdditionalPorts);
        await Backend.Users.AddAsync(new User("anna", "anna@firma.pl", "Anna", Role.User, T0), null, null);

        var saved = new DeploymentSettings { SharedSenderUserId = "anna", PortPolicy = new PortPolicy { AdditionalPorts = [2525, 10025] } };
        await Settings.SaveDeploymentSettingsAsync(saved, Audit(SettingsAuditEntry.SharedSenderTarget, "userId"));

        var read = await Settings.GetDeploymentSettingsAsync();
        Assert.Equal("anna", read.SharedSenderUserId);
        Assert.Equal([2525, 10025], read.PortPolicy.AdditionalPorts);
        Assert.True(read.PortPolicy.Allows(2525));
        Assert.True(read.PortPolicy.Allows(465));
        Assert.False(read.PortPolicy.Allows(2526));
    }

    [Fact]
    public async Task CachedStore_SeesItsOwnSavesAtOnce_AndAnotherNodesSavesAfterTheCacheDuration()
    {
        // Two nodes on one database, each with the cache every node puts in front of its backend.
        var clock = new SteppedClock();
        var nodeA = new CachedSettingsStore(Settings, clock, TimeSpan.FromSeconds(1));
        var nodeB = new CachedSettingsStore(Settings, clock, TimeSpan.FromSeconds(1));
        await Backend.Users.AddAsync(new User("anna", "anna@firma.pl", "Anna", Role.User, T0), null, null);
        await nodeA.SaveProfileAsync(ProfileScope.Global, Full, Audit("global", "host"));
        Assert.Equal("smtp.wp.pl", (await nodeB.GetProfileAsync(ProfileScope.Global))!.Host);
        Assert.Null((await nodeB.GetDeploymentSettingsAsync()).SharedSenderUserId);

        await nodeA.SaveProfileAsync(ProfileScope.Global, Full with { Host = "smtp.office365.com" }, Audit("global", "host"));
        await nodeA.SaveDeploymentSettingsAsync(new DeploymentSettings { SharedSenderUserId = "anna" }, Audit(SettingsAuditEntry.SharedSenderTarget, "userId"));

        Assert.Equal("smtp.office365.com", (await nodeA.GetProfileAsync(ProfileScope.Global))!.Host);
        Assert.Equal("anna", (await nodeA.GetDeploymentSettingsAsync()).SharedSenderUserId);
        Assert.Equal("smtp.wp.pl", (await nodeB.GetProfileAsync(ProfileScope.Global))!.Host); // served from memory, no read
        Assert.Null((await nodeB.GetDeploymentSettingsAsync()).SharedSenderUserId);
        clock.Now += TimeSpan.FromSeconds(1);
        Assert.Equal("smtp.office365.com", (await nodeB.GetProfileAsync(ProfileScope.Global))!.Host);
        Assert.Equal("anna", (await nodeB.GetDeploymentSettingsAsync()).SharedSenderUserId);
        Assert.Equal(3, (await nodeB.GetAuditTrailAsync(null, 10)).Count); // never cached
    }

    private sealed class SteppedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = T0;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task AuditTrail_IsNewestFirst_FilterableByTarget_AndHoldsFieldNamesOnly()
    {
        await Settings.SaveProfileAsync(ProfileScope.Global, Full, Audit("global", "host", "password"));
        await Settings.SaveProfileAsync(ProfileScope.ForUser("anna"), SenderProfile.Empty, new SettingsAuditEntry(T0.AddMinutes(1), "anna", "user:anna", ["login"]));

        var all = await Settings.GetAuditTrailAsync(null, 10);
        var global = await Settings.GetAuditTrailAsync("global", 10);

        Assert.Equal(["user:anna", "global"], all.Select(a => a.Target));
        Assert.True(all[0].Id > all[1].Id);
        var entry = Assert.Single(global);
        Assert.Equal(["host", "password"], entry.ChangedFields);
        Assert.Equal("admin", entry.ActorUserId);
        Assert.Equal(T0, entry.At);
        Assert.Single(await Settings.GetAuditTrailAsync(null, 1));
    }

    [Fact]
    public async Task Migrating_AnUpToDateDatabase_ChangesNothing()
    {
        var before = await Backend.Info.GetSchemaVersionAsync();
        await Settings.SaveProfileAsync(ProfileScope.Global, Full, Audit("global", "host"));

        var after = await Backend.Migrator.MigrateAsync();

        Assert.True(before >= 1);
        Assert.Equal(before, after);
        Assert.Equal(Full, await Settings.GetProfileAsync(ProfileScope.Global));
    }
}
