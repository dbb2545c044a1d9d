using Mailroom.Core.OAuth;
using Mailroom.Core.Settings;

namespace Mailroom.Storage.Compliance;

/// <summary>What every backend's <see cref="IOAuthGrantStore"/> must do.</summary>
public abstract class OAuthGrantStoreCompliance : IAsyncLifetime
{
    private IStorageBackend? _backend;

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    private IOAuthGrantStore Store => _backend!.OAuthGrants;

    public async Task InitializeAsync() => _backend = await CreateBackendAsync();

    public async Task DisposeAsync()
    {
        if (_backend is not null) await _backend.DisposeAsync();
    }

    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static OAuthGrant Grant(ProfileScope scope, string token = "cipher-1") => new()
    {
        Scope = scope, Provider = OAuthProvider.Microsoft365, Kind = OAuthGrantKind.Delegated,
        Account = "anna@firma.pl", ProtectedRefreshToken = token, CreatedAt = T0, UpdatedAt = T0,
    };

    [Fact]
    public async Task Saved_IsReadBack_PerScope()
    {
        await Store.SaveAsync(Grant(ProfileScope.Global));
        await Store.SaveAsync(Grant(ProfileScope.ForUser("u1")) with { Provider = OAuthProvider.Google, Account = "u1@gmail.com" });

        Assert.Equal(Grant(ProfileScope.Global), await Store.GetAsync(ProfileScope.Global));
        var user = await Store.GetAsync(ProfileScope.ForUser("u1"));
        Assert.Equal(OAuthProvider.Google, user!.Provider);
        Assert.Equal("u1@gmail.com", user.Account);
        Assert.Equal(ProfileScope.ForUser("u1"), user.Scope);
        Assert.Null(await Store.GetAsync(ProfileScope.ForUser("u2")));
    }

    [Fact]
    public async Task AppOnly_HasNoRefreshToken()
    {
        await Store.SaveAsync(Grant(ProfileScope.Global) with { Kind = OAuthGrantKind.AppOnly, ProtectedRefreshToken = null, Account = "biuro@firma.pl" });
        var grant = await Store.GetAsync(ProfileScope.Global);
        Assert.Equal(OAuthGrantKind.AppOnly, grant!.Kind);
        Assert.Null(grant.ProtectedRefreshToken);
    }

    [Fact]
    public async Task Save_ReplacesTheScopesGrant()
    {
        await Store.SaveAsync(Grant(ProfileScope.Global));
        await Store.SaveAsync(Grant(ProfileScope.Global, "cipher-new") with { Account = "ktos@firma.pl", UpdatedAt = T0.AddDays(1) });
        var grant = await Store.GetAsync(ProfileScope.Global);
        Assert.Equal("cipher-new", grant!.ProtectedRefreshToken);
        Assert.Equal("ktos@firma.pl", grant.Account);
        Assert.Equal(T0.AddDays(1), grant.UpdatedAt);
    }

    [Fact]
    public async Task Rotation_ReplacesOnlyTheExpectedToken()
    {
        await Store.SaveAsync(Grant(ProfileScope.Global));
        Assert.True(await Store.RotateRefreshTokenAsync(ProfileScope.Global, "cipher-1", "cipher-2", T0.AddHours(1)));
        // a second node still holding the old token loses: the newer one stays
        Assert.False(await Store.RotateRefreshTokenAsync(ProfileScope.Global, "cipher-1", "cipher-3", T0.AddHours(2)));
        var grant = await Store.GetAsync(ProfileScope.Global);
        Assert.Equal("cipher-2", grant!.ProtectedRefreshToken);
        Assert.Equal(T0.AddHours(1), grant.UpdatedAt);
        Assert.Equal(T0, grant.CreatedAt);
        Assert.False(await Store.RotateRefreshTokenAsync(ProfileScope.ForUser("nobody"), null, "cipher-4", T0));
    }

    [Fact]
    public async Task Delete_RemovesOnlyThatScope()
    {
        await Store.SaveAsync(Grant(ProfileScope.Global));
        await Store.SaveAsync(Grant(ProfileScope.ForUser("u1")));
        Assert.True(await Store.DeleteAsync(ProfileScope.Global));
        Assert.False(await Store.DeleteAsync(ProfileScope.Global));
        Assert.Null(await Store.GetAsync(ProfileScope.Global));
        Assert.NotNull(await Store.GetAsync(ProfileScope.ForUser("u1")));
    }
}
