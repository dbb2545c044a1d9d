namespace Mailroom.Testing;

/// <summary>The <see cref="MailTestbedFactAttribute"/> twin for theories.</summary>
public sealed class MailTestbedTheoryAttribute : TheoryAttribute
{
    public MailTestbedTheoryAttribute()
    {
        if (MailTestbed.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
