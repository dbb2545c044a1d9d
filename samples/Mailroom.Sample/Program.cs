// A host application that sends mail through Mailroom in its own process.
//
//   dotnet run --project samples/Mailroom.Sample -- --to someone@example.com
//
// Configuration is the same tree as the server's (appsettings.json, Mailroom__… variables,
// --Mailroom:… arguments): e.g. Mailroom__DataDirectory=/var/lib/myapp/mail. Without a System
// relay the message is captured as an .eml file in <DataDirectory>/captured-mail.
using Mailroom.Core.Mail;
using Mailroom.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddMailroom(options => builder.Configuration.GetSection(MailroomOptions.Section).Bind(options));
using var host = builder.Build();
await host.StartAsync();

var to = builder.Configuration["to"] ?? "someone@example.com";
var mailer = host.Services.GetRequiredService<MailroomMailer>();
var outcome = await mailer.SubmitAsync(new MessageDraft
{
    To = [to],
    Subject = "Hello from the sample host application",
    TextBody = "Sent in-process with services.AddMailroom(…).",
});
if (!outcome.Accepted)
{
    foreach (var issue in outcome.Issues) Console.Error.WriteLine($"{issue.Field}: {issue.Message("en")}");
    await host.StopAsync();
    return 3;
}

// Follow the message until it is delivered, captured, failed or held (at most a minute).
var id = outcome.Result!.Id;
var deadline = DateTime.UtcNow.AddMinutes(1);
var message = await mailer.GetAsync(id);
while (message is not null && !message.Status.IsFinal() && message.Status != MessageStatus.Held && DateTime.UtcNow < deadline)
{
    await Task.Delay(200);
    message = await mailer.GetAsync(id);
}
Console.WriteLine($"{id} {message?.Status.Name()} {message?.StatusReason}");
await host.StopAsync();
return message?.Status is MessageStatus.Sent or MessageStatus.Captured ? 0 : 8;
