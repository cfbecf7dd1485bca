namespace ControlPanel.Core.Registries;

/// <summary>A registry the panel pushes to and browses. The password is never part of it: only whether one is set.</summary>
public sealed record RegistryDefinition(string Name, string Url, string? UserName, bool HasPassword)
{
    /// <summary>host[:port] as it appears in image references, e.g. 127.0.0.1:5055.</summary>
    public string Host => new Uri(Url).Authority;
}

/// <summary>What an engine or the registry client needs to log in. Never logged, shown or returned.</summary>
public sealed record RegistryCredentials(string UserName, string Password)
{
    // Records print their members; this one must not.
    public override string ToString() => $"{UserName}:(hidden)";
}

/// <summary>Configured registries; passwords are stored encrypted and can be replaced but never read back out.</summary>
public interface IRegistryStore
{
    Task<IReadOnlyList<RegistryDefinition>> ListAsync(CancellationToken cancellationToken);

    Task<RegistryDefinition?> FindAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates or updates. <paramref name="password"/>: null keeps the stored one, empty removes it. Audit entry in the same transaction.</summary>
    Task<RegistryDefinition> SaveAsync(string name, string url, string? userName, string? password, Audit.AuditEntry audit, CancellationToken cancellationToken);

    /// <summary>For pushing and browsing only; null when the registry has no credentials.</summary>
    Task<RegistryCredentials?> GetCredentialsAsync(string name, CancellationToken cancellationToken);
}

public sealed class RegistryNotFoundException(string registry)
    : Common.ControlPanelException($"Registry '{registry}' is not configured in the panel.")
{
    public string Registry { get; } = registry;
}

/// <summary>The registry could not be reached or answered with an error; carries its own message.</summary>
public sealed class RegistryException(string registry, string message, Exception? inner = null)
    : Common.ControlPanelException($"Registry '{registry}': {message}", inner)
{
    public string Registry { get; } = registry;
}
