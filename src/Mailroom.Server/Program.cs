using Mailroom.Server.Hosting;
using Mailroom.Server.OAuth;
using Mailroom.Server.WebUi;

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultAddress();
var options = builder.AddMailroomOptions();
builder.AddMailroomStorage(options);
builder.AddMailroomSecrets(options);
builder.AddMailroomAuthentication();
builder.AddMailroomApi();
builder.AddMailroomDelivery(options);
builder.AddMailroomEvents(options);
builder.AddMailroomBounces(options);
builder.AddMailroomWebUi();
builder.AddMailroomOAuth();

var app = builder.Build();
app.MapMailroomApi();
app.MapMailroomWebUi();
app.MapMailroomOAuth();
await app.InitializeMailroomAsync();
await app.RunAsync();

/// <summary>The entry point; public so the functional tests can host it.</summary>
public partial class Program;
