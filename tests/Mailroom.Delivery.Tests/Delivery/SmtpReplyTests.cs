using Mailroom.Core.Mail;

namespace Mailroom.Delivery.Tests.Delivery;

public class SmtpReplyTests
{
    [Theory]
    [InlineData(550, "5.1.1 <x@reject.test>: Recipient address rejected", "5.1.1")]
    [InlineData(451, "4.7.1 Try again later", "4.7.1")]
    [InlineData(250, "2.0.0 Ok: queued as ABC", "2.0.0")]
    public void EnhancedCode_IsReadFromTheStartOfTheText(int code, string text, string enhanced)
    {
        Assert.Equal(enhanced, SmtpReply.From(code, text).EnhancedCode);
    }

    [Theory]
    [InlineData(550, "Mailbox unavailable")]
    [InlineData(550, "4.1.1 class disagrees with the basic code")]
    public void EnhancedCode_IsAbsentWhenMissingOrInconsistent(int code, string text)
    {
        Assert.Null(SmtpReply.From(code, text).EnhancedCode);
    }

    [Fact]
    public void ReplyClasses_FollowTheFirstDigit()
    {
        Assert.True(SmtpReply.From(451, "x").IsTransient);
        Assert.True(SmtpReply.From(554, "x").IsPermanent);
        Assert.True(SmtpReply.From(250, "x").IsSuccess);
    }
}
