using System.Security.Cryptography;
using System.Text;
using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Security;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Identity;

/// <summary>
/// Tokens look like cpt_&lt;id&gt;_&lt;secret&gt;. The id finds the row; only SHA-256 of the 256-bit secret is
/// stored (a fast hash suffices for a random secret of that size), compared in constant time.
/// </summary>
public sealed class ApiTokenService(ControlPanelDbContext db, ICurrentActor actor, TimeProvider time) : IApiTokens
{
    private const string Prefix = "cpt_";

    public async Task<CreatedApiToken> CreateAsync(string userName, string name, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100) throw new InvalidRequestException("name", "A token needs a name of 1 to 100 characters.");
        var now = time.GetUtcNow();
        if (expiresAt <= now || expiresAt > now.AddYears(1)) throw new InvalidRequestException("expiresAt", "A token must expire within a year from now.");
        var user = await FindUserAsync(userName, cancellationToken);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var record = new ApiTokenRecord { Id = id, UserId = user.Id, Name = name.Trim(), SecretHash = Hash(secret), CreatedAt = now, ExpiresAt = expiresAt };
        db.ApiTokens.Add(record);
        db.AuditEntries.Add(await AuditAsync("token.create", $"{userName}/{id}", $"name={record.Name} expires={expiresAt:u}", cancellationToken));
        await db.SaveChangesAsync(cancellationToken); // token and its audit row in one transaction
        return new CreatedApiToken(ToInfo(record), $"{Prefix}{id}_{secret}");
    }

    public async Task<IReadOnlyList<ApiTokenInfo>> ListAsync(string userName, CancellationToken cancellationToken)
    {
        var user = await FindUserAsync(userName, cancellationToken);
        var rows = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == user.Id).ToListAsync(cancellationToken);
        return rows.OrderByDescending(t => t.CreatedAt).Select(ToInfo).ToList();
    }

    public async Task<bool> RevokeAsync(string userName, string tokenId, CancellationToken cancellationToken)
    {
        var user = await FindUserAsync(userName, cancellationToken);
        var record = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.UserId == user.Id, cancellationToken);
        if (record is null) return false;
        record.RevokedAt ??= time.GetUtcNow();
        db.AuditEntries.Add(await AuditAsync("token.revoke", $"{userName}/{tokenId}", null, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<TokenOwner?> ValidateAsync(string presentedToken, CancellationToken cancellationToken)
    {
        if (!presentedToken.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var parts = presentedToken[Prefix.Length..].Split('_', 2);
        if (parts.Length != 2) return null;
        var record = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == parts[0], cancellationToken);
        if (record is null || !CryptographicOperations.FixedTimeEquals(record.SecretHash, Hash(parts[1]))) return null;
        var now = time.GetUtcNow();
        if (record.RevokedAt is not null || record.ExpiresAt <= now) return null;
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == record.UserId, cancellationToken);
        if (user is null || user.IsDisabled) return null;
        var roles = await UserRoles.OfAsync(db, user.Id, cancellationToken);
        if (record.LastUsedAt is null || now - record.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            record.LastUsedAt = now; // at most once a minute: not a write per request
            await db.SaveChangesAsync(cancellationToken);
        }
        return new TokenOwner(user.UserName!, roles, record.Id);
    }

    /// <summary>The user whose tokens are handled; only they themselves or an Admin may.</summary>
    private async Task<ControlPanelUser> FindUserAsync(string userName, CancellationToken cancellationToken)
    {
        var who = await actor.GetAsync(cancellationToken);
        var own = who.IsAuthenticated && string.Equals(who.Name, userName, StringComparison.OrdinalIgnoreCase);
        if (!own && !who.Can(Permission.Administer)) throw new PermissionDeniedException(Permission.Administer, who.Name);
        return await db.Users.SingleOrDefaultAsync(u => u.NormalizedUserName == userName.ToUpperInvariant(), cancellationToken)
            ?? throw new InvalidRequestException("user", $"There is no user '{userName}'.");
    }

    private async Task<AuditRecord> AuditAsync(string action, string target, string? detail, CancellationToken cancellationToken)
    {
        var who = await actor.GetAsync(cancellationToken);
        return EfAuditLog.ToRecord(new AuditEntry
        {
            At = time.GetUtcNow(), Actor = who.Name, ClientAddress = who.ClientAddress, Action = action,
            Target = target, Detail = detail, Succeeded = true, Duration = TimeSpan.Zero,
        });
    }

    private static ApiTokenInfo ToInfo(ApiTokenRecord r) => new(r.Id, r.Name, r.CreatedAt, r.ExpiresAt, r.RevokedAt, r.LastUsedAt);

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
