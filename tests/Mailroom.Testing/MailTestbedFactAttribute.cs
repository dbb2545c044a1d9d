namespace Mailroom.Testing;

/// <summary>
/// A fact that needs <see cref="MailTestbed"/>. Skipped, with a loud reason, when Postfix/Dovecot
/// are not installed here; but when CI=true it runs and fails, so CI can never pass by skipping.
/// </summary>
public sealed class MailTestbedFactAttribute : FactAttribute
{
    public MailTestbedFactAttribute()
    {
        if (MailTestbed.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
