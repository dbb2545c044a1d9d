using Dapper;

namespace Mailroom.Storage.Sqlite.Tests;

public class SqliteGroupCommitTests
{
    [Fact]
    public async Task WritesQueuedTogether_ShareACommit_AndAFailingOneIsUndoneAlone()
    {
        await using var backend = await SqliteBackend.CreateAsync();
        await using (var setup = await backend.Database.OpenAsync())
            await setup.ExecuteAsync("CREATE TABLE probe (name TEXT PRIMARY KEY)");
        var writes = backend.Database.Writes;
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The first write holds the batch open until the others are queued behind it.
        var first = writes.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("INSERT INTO probe VALUES ('first')", transaction: t);
            firstStarted.SetResult();
            await releaseFirst.Task;
            return 1;
        });
        await firstStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var failing = writes.WriteAsync<int>(async (c, t) =>
        {
            await c.ExecuteAsync("INSERT INTO probe VALUES ('failing')", transaction: t);
            throw new InvalidOperationException("refused");
        });
        var seesFirst = writes.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("INSERT INTO probe VALUES ('third')", transaction: t);
            return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM probe WHERE name = 'first'", transaction: t);
        });
        await using (var reader = await backend.Database.OpenAsync())
        {
            // Nothing is visible to others, and no caller has an answer, before the shared commit.
            Assert.Equal(0, await reader.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM probe"));
            Assert.False(first.IsCompleted || failing.IsCompleted || seesFirst.IsCompleted);
        }

        releaseFirst.SetResult();

        Assert.Equal(1, await first);
        Assert.Equal("refused", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
        Assert.Equal(1, await seesFirst);
        await using var check = await backend.Database.OpenAsync();
        Assert.Equal(["first", "third"], (await check.QueryAsync<string>("SELECT name FROM probe ORDER BY name")).ToArray());
    }

    [Fact]
    public async Task ManyConcurrentWriters_AllCommitted()
    {
        await using var backend = await SqliteBackend.CreateAsync();
        await using (var setup = await backend.Database.OpenAsync())
            await setup.ExecuteAsync("CREATE TABLE probe (n INTEGER PRIMARY KEY)");

        var results = await Task.WhenAll(Enumerable.Range(0, 2000).Select(n => Task.Run(() =>
            backend.Database.Writes.WriteAsync((c, t) => c.ExecuteAsync("INSERT INTO probe VALUES (@n)", new { n }, t)))));

        Assert.All(results, r => Assert.Equal(1, r));
        await using var check = await backend.Database.OpenAsync();
        Assert.Equal(2000, await check.ExecuteScalarAsync<int>("SELECT COUNT(DISTINCT n) FROM probe"));
    }

    [Fact]
    public async Task CancelledBeforeItRuns_IsNotWritten()
    {
        await using var backend = await SqliteBackend.CreateAsync();
        await using (var setup = await backend.Database.OpenAsync())
            await setup.ExecuteAsync("CREATE TABLE probe (name TEXT)");
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = backend.Database.Writes.WriteAsync(async (c, t) => { started.SetResult(); await releaseFirst.Task; return 0; });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var cancel = new CancellationTokenSource();
        var cancelled = backend.Database.Writes.WriteAsync((c, t) => c.ExecuteAsync("INSERT INTO probe VALUES ('x')", transaction: t), cancel.Token);

        await cancel.CancelAsync();
        releaseFirst.SetResult();

        await first;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await using var check = await backend.Database.OpenAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM probe"));
    }
}
