namespace ControlPanel.Core.Registries;

/// <summary>An image in a registry, as its manifest describes it.</summary>
/// <param name="Size">Config plus layers, compressed, in bytes (what a pull downloads at most).</param>
/// <param name="Created">From the image config; null for multi-platform indexes.</param>
public sealed record RegistryImage(string Repository, string Tag, string Digest, long Size, DateTimeOffset? Created);

/// <summary>The Registry HTTP API v2. Every call throws <see cref="RegistryException"/> with the registry's own message on failure.</summary>
public interface IRegistryClient
{
    Task<IReadOnlyList<string>> RepositoriesAsync(RegistryDefinition registry, RegistryCredentials? credentials, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> TagsAsync(RegistryDefinition registry, RegistryCredentials? credentials, string repository, CancellationToken cancellationToken);

    /// <summary>The image a tag (or digest) names; null when the registry does not have it.</summary>
    Task<RegistryImage?> FindImageAsync(RegistryDefinition registry, RegistryCredentials? credentials, string repository, string reference, CancellationToken cancellationToken);
}
