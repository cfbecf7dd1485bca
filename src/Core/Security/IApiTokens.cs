namespace ControlPanel.Core.Security;

/// <summary>
/// Personal API tokens for scripts and pipelines. The plain token exists only in the return value of
/// <see cref="CreateAsync"/>; the store keeps a hash.
/// </summary>
public interface IApiTokens
{
    Task<CreatedApiToken> CreateAsync(string userName, string name, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiTokenInfo>> ListAsync(string userName, CancellationToken cancellationToken);

    /// <summary>Revokes one of the user's tokens; false when the user has no such token.</summary>
    Task<bool> RevokeAsync(string userName, string tokenId, CancellationToken cancellationToken);

    /// <summary>The owner of a presented token, or null when it is unknown, expired, revoked or its user disabled.</summary>
    Task<TokenOwner?> ValidateAsync(string presentedToken, CancellationToken cancellationToken);
}

public sealed record CreatedApiToken(ApiTokenInfo Info, string Token);

public sealed record ApiTokenInfo(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt)
{
    public bool IsActive(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;
}

public sealed record TokenOwner(string UserName, IReadOnlySet<Role> Roles, string TokenId);
