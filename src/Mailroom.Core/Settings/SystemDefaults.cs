namespace Mailroom.Core.Settings;

/// <summary>Mailroom's built-in values for fields nobody has set.</summary>
public static class SystemDefaults
{
    /// <summary>The profile at the bottom of every inheritance chain.</summary>
    public static SenderProfile Profile { get; } = new()
    {
        Enabled = true,
        Port = 587,
        Encryption = EncryptionMode.Auto,
        Authentication = AuthenticationMethod.None,
        SenderMode = Settings.SenderMode.System, // OwnSmtp once any layer names a server: see SenderSettingsResolver
    };
}
