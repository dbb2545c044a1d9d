using Mailroom.Testing;

namespace Mailroom.Ui.Tests;

/// <summary>
/// A fact that drives Debian's Chromium. Skipped, with a loud reason, when /usr/bin/chromium is
/// missing here; when CI=true it runs and fails instead, so CI can never pass by skipping.
/// </summary>
public class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (UiServer.ChromiumSkipReason is { } reason) Skip = reason;
    }
}

/// <summary>A Chromium fact that also needs the mail test bed (Postfix, Dovecot).</summary>
public sealed class ChromiumAndTestbedFactAttribute : ChromiumFactAttribute
{
    public ChromiumAndTestbedFactAttribute()
    {
        if (Skip is null && MailTestbed.SkipReason is { } reason) Skip = reason;
    }
}
