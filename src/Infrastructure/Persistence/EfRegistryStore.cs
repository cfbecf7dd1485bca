using ControlPanel.Core.Audit;
using ControlPanel.Core.Registries;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Persistence;

/// <summary>Registries in the database, passwords encrypted with the panel's shared Data Protection keys.</summary>
public sealed class EfRegistryStore(IDbContextFactory<ControlPanelDbContext> contexts, IDataProtectionProvider protection) : IRegistryStore
{
    private readonly IDataProtector _passwords = protection.CreateProtector("ControlPanel.Registries.Password.v1");

    public async Task<IReadOnlyList<RegistryDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.Registries.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken)).Select(ToDefinition).ToList();
    }

    public async Task<RegistryDefinition?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Registries.AsNoTracking().FirstOrDefaultAsync(r => r.Name == name, cancellationToken);
        return row is null ? null : ToDefinition(row);
    }

    public async Task<RegistryDefinition> SaveAsync(string name, string url, string? userName, string? password, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Registries.FirstOrDefaultAsync(r => r.Name == name, cancellationToken);
        if (row is null) db.Registries.Add(row = new RegistryRecord { Name = name });
        row.Url = url;
        row.UserName = userName;
        if (password is not null) row.ProtectedPassword = password.Length == 0 ? null : _passwords.Protect(password);
        if (userName is null) row.ProtectedPassword = null;
        row.UpdatedAt = audit.At.ToUniversalTime();
        db.AuditEntries.Add(EfAuditLog.ToRecord(audit));
        await db.SaveChangesAsync(cancellationToken);
        return ToDefinition(row);
    }

    public async Task<RegistryCredentials?> GetCredentialsAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Registries.AsNoTracking().FirstOrDefaultAsync(r => r.Name == name, cancellationToken);
        return row?.UserName is { } user ? new RegistryCredentials(user, row.ProtectedPassword is { } p ? _passwords.Unprotect(p) : "") : null;
    }

    private static RegistryDefinition ToDefinition(RegistryRecord row) => new(row.Name, row.Url, row.UserName, row.ProtectedPassword is not null);
}
