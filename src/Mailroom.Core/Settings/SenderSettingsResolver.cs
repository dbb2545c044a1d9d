using Mailroom.Core.Users;

namespace Mailroom.Core.Settings;

/// <summary>
/// Works out the settings a message is sent with. A field left empty inherits from the next
/// layer: user → shared sender → global → system default. While a shared sender is named, a
/// user's own profile contributes only login and password, and those two travel together so
/// one person's login is never paired with another's password.
/// </summary>
public static class SenderSettingsResolver
{
    /// <summary>The effective settings of the global profile (mail sent on behalf of no user).</summary>
    public static EffectiveSenderSettings ResolveGlobal(SenderProfile global) =>
        Resolve([new Layer(global, SettingSource.Global)], account: null);

    /// <summary>The effective settings of <paramref name="user"/>.</summary>
    /// <param name="user">The user whose mail this is.</param>
    /// <param name="userProfile">The user's own profile, or null when they have none.</param>
    /// <param name="global">The company's global profile.</param>
    /// <param name="sharedSenderProfile">The shared sender's profile while one is named and it is not <paramref name="user"/>; otherwise null.</param>
    public static EffectiveSenderSettings ResolveForUser(
        User user, SenderProfile? userProfile, SenderProfile global, SenderProfile? sharedSenderProfile)
    {
        var own = userProfile ?? SenderProfile.Empty;
        if (sharedSenderProfile is not null)
        {
            // Only the credentials may differ from the shared sender; anything else a user set
            // before the shared sender was named stays stored but does not apply.
            own = SenderProfile.Empty with { Login = own.Login, ProtectedPassword = own.ProtectedPassword };
        }
        var layers = new List<Layer> { new(own, SettingSource.User) };
        if (sharedSenderProfile is not null) layers.Add(new Layer(sharedSenderProfile, SettingSource.SharedSender));
        layers.Add(new Layer(global, SettingSource.Global));
        return Resolve(layers, user);
    }

    private sealed record Layer(SenderProfile Profile, SettingSource Source);

    private static EffectiveSenderSettings Resolve(IReadOnlyList<Layer> configured, User? account)
    {
        var layers = configured.Append(new Layer(SystemDefaults.Profile, SettingSource.SystemDefault)).ToArray();
        var sources = new Dictionary<string, SettingSource>();

        T? Pick<T>(string field, Func<SenderProfile, T?> read, T? accountValue = null) where T : class
        {
            // The user's own layer comes first; their account (address, name) beats the shared layers.
            var first = layers[0];
            if (read(first.Profile) is { } own) { sources[field] = first.Source; return own; }
            if (accountValue is not null) { sources[field] = SettingSource.UserAccount; return accountValue; }
            foreach (var layer in layers.Skip(1))
            {
                if (read(layer.Profile) is { } value) { sources[field] = layer.Source; return value; }
            }
            sources[field] = SettingSource.SystemDefault;
            return null;
        }

        T PickValue<T>(string field, Func<SenderProfile, T?> read) where T : struct
        {
            foreach (var layer in layers)
            {
                if (read(layer.Profile) is { } value) { sources[field] = layer.Source; return value; }
            }
            throw new InvalidOperationException($"System defaults must define '{field}'.");
        }

        T? PickOptional<T>(string field, Func<SenderProfile, T?> read) where T : struct
        {
            foreach (var layer in layers)
            {
                if (read(layer.Profile) is { } value) { sources[field] = layer.Source; return value; }
            }
            sources[field] = SettingSource.SystemDefault;
            return null;
        }

        // Nobody chose a mode: whoever typed a server means "send through it"; with no server at all
        // the deployment's own relay (or local capture) is the only way out.
        SenderMode PickSenderMode()
        {
            foreach (var layer in layers.Take(layers.Length - 1))
            {
                if (layer.Profile.SenderMode is { } chosen) { sources[SenderField.SenderMode] = layer.Source; return chosen; }
            }
            sources[SenderField.SenderMode] = SettingSource.SystemDefault;
            return layers.Any(l => l.Profile.Host is not null) ? SenderMode.OwnSmtp : SenderMode.System;
        }

        var credentials = layers.FirstOrDefault(l => l.Profile.Login is not null || l.Profile.ProtectedPassword is not null);
        sources[SenderField.Login] = sources[SenderField.Password] = credentials?.Source ?? SettingSource.SystemDefault;

        var settings = new EffectiveSenderSettings
        {
            Enabled = PickValue(SenderField.Enabled, p => p.Enabled),
            AccountName = Pick(SenderField.AccountName, p => p.AccountName),
            FromAddress = Pick(SenderField.FromAddress, p => p.FromAddress, account?.Email),
            DisplayName = Pick(SenderField.DisplayName, p => p.DisplayName, account?.DisplayName),
            ReplyTo = Pick(SenderField.ReplyTo, p => p.ReplyTo),
            Description = Pick(SenderField.Description, p => p.Description),
            Host = Pick(SenderField.Host, p => p.Host),
            Port = PickValue(SenderField.Port, p => p.Port),
            Encryption = PickValue(SenderField.Encryption, p => p.Encryption),
            Authentication = PickValue(SenderField.Authentication, p => p.Authentication),
            Login = credentials?.Profile.Login,
            ProtectedPassword = credentials?.Profile.ProtectedPassword,
            Bcc = Pick(SenderField.Bcc, p => p.Bcc),
            Signature = Pick(SenderField.Signature, p => p.Signature),
            SenderMode = PickSenderMode(),
            CertificateSha256 = Pick(SenderField.CertificateSha256, p => p.CertificateSha256),
            RateLimitPerMinute = PickOptional(SenderField.RateLimitPerMinute, p => p.RateLimitPerMinute),
            RateLimitPerDay = PickOptional(SenderField.RateLimitPerDay, p => p.RateLimitPerDay),
            Sources = sources,
        };
        sources[SenderField.ServerType] = SettingSource.SystemDefault;
        return settings;
    }
}
