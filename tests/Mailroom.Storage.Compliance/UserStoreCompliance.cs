using Mailroom.Core.Storage;
using Mailroom.Core.Users;

namespace Mailroom.Storage.Compliance;

/// <summary>What every backend's <see cref="IUserStore"/> must do.</summary>
public abstract class UserStoreCompliance : IAsyncLifetime
{
    private IStorageBackend? _backend;

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    protected IUserStore Users => _backend!.Users;

    public async Task InitializeAsync() => _backend = await CreateBackendAsync();

    public async Task DisposeAsync()
    {
        if (_backend is not null) await _backend.DisposeAsync();
    }

    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static User NewUser(string id, string email, Role role = Role.User) => new(id, email, id.ToUpperInvariant(), role, T0);

    [Fact]
    public async Task AddedUser_IsFoundByIdAndByEmailIgnoringCase()
    {
        await Users.AddAsync(NewUser("anna", "Anna.Nowak@Firma.pl"), null, null);

        var byId = await Users.GetAsync("anna");
        var byEmail = await Users.FindByEmailAsync("anna.nowak@firma.pl");

        Assert.Equal(NewUser("anna", "Anna.Nowak@Firma.pl"), byId);
        Assert.Equal("anna", byEmail?.Id);
        Assert.Null(await Users.GetAsync("nobody"));
    }

    [Fact]
    public async Task DuplicateIdOrEmail_IsRefusedAndNameTheField()
    {
        await Users.AddAsync(NewUser("anna", "anna@firma.pl"), null, null);

        var sameId = await Assert.ThrowsAsync<DuplicateException>(() => Users.AddAsync(NewUser("anna", "other@firma.pl"), null, null));
        var sameEmail = await Assert.ThrowsAsync<DuplicateException>(() => Users.AddAsync(NewUser("jan", "ANNA@firma.pl"), null, null));

        Assert.Equal("id", sameId.Field);
        Assert.Equal("email", sameEmail.Field);
        Assert.Equal(1, await Users.CountAsync());
    }

    [Fact]
    public async Task UserAddedWithKey_IsFoundByTheKeysHash_UntilRevoked()
    {
        var (key, plain) = ApiKey.Generate("anna", "ERP", T0);
        await Users.AddAsync(NewUser("anna", "anna@firma.pl", Role.Administrator), null, key);

        var found = await Users.FindByApiKeyHashAsync(ApiKey.HashOf(plain));
        Assert.Equal("anna", found?.User.Id);
        Assert.Equal(Role.Administrator, found?.User.Role);
        Assert.Equal(key.Id, found?.Key.Id);

        Assert.True(await Users.RevokeApiKeyAsync("anna", key.Id, T0.AddHours(1)));
        Assert.Null(await Users.FindByApiKeyHashAsync(ApiKey.HashOf(plain)));
        var listed = Assert.Single(await Users.ListApiKeysAsync("anna"));
        Assert.Equal(T0.AddHours(1), listed.RevokedAt);
    }

    [Fact]
    public async Task RevokingAnotherUsersKey_DoesNothing()
    {
        var (key, plain) = ApiKey.Generate("anna", "ERP", T0);
        await Users.AddAsync(NewUser("anna", "anna@firma.pl"), null, key);
        await Users.AddAsync(NewUser("jan", "jan@firma.pl"), null, null);

        Assert.False(await Users.RevokeApiKeyAsync("jan", key.Id, T0));
        Assert.NotNull(await Users.FindByApiKeyHashAsync(ApiKey.HashOf(plain)));
    }

    [Fact]
    public async Task FailedAdd_LeavesNoUserBehind()
    {
        var (key, _) = ApiKey.Generate("anna", "ERP", T0);
        await Users.AddAsync(NewUser("anna", "anna@firma.pl"), null, key);

        // Same key hash again: the key insert fails after the user row was written.
        await Assert.ThrowsAnyAsync<Exception>(() => Users.AddAsync(NewUser("jan", "jan@firma.pl"), null, key with { Id = "other", UserId = "jan" }));

        Assert.Null(await Users.GetAsync("jan"));
    }

    [Fact]
    public async Task PasswordHash_IsStoredAndReadBack()
    {
        await Users.AddAsync(NewUser("anna", "anna@firma.pl"), "pbkdf2-sha256$1$abc$def", null);

        Assert.Equal("pbkdf2-sha256$1$abc$def", await Users.GetPasswordHashAsync("anna"));
    }

    [Fact]
    public async Task List_IsInCreationOrder()
    {
        await Users.AddAsync(NewUser("b", "b@firma.pl") with { CreatedAt = T0.AddMinutes(1) }, null, null);
        await Users.AddAsync(NewUser("a", "a@firma.pl") with { CreatedAt = T0.AddMinutes(2) }, null, null);

        Assert.Equal(["b", "a"], (await Users.ListAsync()).Select(u => u.Id));
    }
}
