using Mailroom.Testing;
namespace Mailroom.Server.Tests;

/// <summary>A storage configuration that cannot work stops the server at start, saying what to set.</summary>
public class StorageConfigurationTests
{
    [Theory]
    [InlineData("postgresql", null, "Mailroom:Storage:ConnectionString is missing")]
    [InlineData("mysql", null, "must be 'sqlite' (the embedded default) or 'postgresql'")]
    public async Task UnusableStorageConfiguration_StopsTheServerWithTheReason(string provider, string? connectionString, string expected)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("mailroom-storage-config-").FullName;
        try
        {
            var environment = new Dictionary<string, string> { ["Mailroom__Storage__Provider"] = provider };
            if (connectionString is not null) environment["Mailroom__Storage__ConnectionString"] = connectionString;

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MailroomServerProcess.StartAsync(dataDirectory, environment));

            Assert.Contains("exited early", error.Message);
            Assert.Contains(expected, error.Message);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
