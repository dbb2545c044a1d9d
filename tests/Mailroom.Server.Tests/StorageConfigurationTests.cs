using Dapper;
using Mailroom.Storage.Sqlite;
using Mailroom.Hosting;
using Mailroom.Testing;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task UnknownSqliteSynchronousValue_StopsTheServerWithTheReason()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("mailroom-storage-config-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MailroomServerProcess.StartAsync(dataDirectory,
                new Dictionary<string, string> { ["Mailroom__Storage__SqliteSynchronous"] = "sometimes" }));

            Assert.Contains("exited early", error.Message);
            Assert.Contains("Mailroom:Storage:SqliteSynchronous must be 'full'", error.Message);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Theory]
    [InlineData(null, 2)]       // the default flushes every commit (SQLite's FULL = 2)
    [InlineData("Full", 2)]
    [InlineData(" NORMAL ", 1)] // flushed at checkpoints (NORMAL = 1); case and spaces as typed in a file
    public async Task SqliteSynchronousOption_ReachesTheDatabasesConnections(string? configured, int expected)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("mailroom-storage-sync-").FullName;
        try
        {
            var options = new MailroomOptions { DataDirectory = dataDirectory };
            if (configured is not null) options.Storage.SqliteSynchronous = configured;
            await using var services = new ServiceCollection().AddMailroomStorage(options).BuildServiceProvider();

            await using var connection = await services.GetRequiredService<SqliteDatabase>().OpenAsync();

            Assert.Equal(expected, await connection.ExecuteScalarAsync<int>("PRAGMA synchronous"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
