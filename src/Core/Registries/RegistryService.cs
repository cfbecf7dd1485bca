using ControlPanel.Core.Audit;
using ControlPanel.Core.Builds;
using ControlPanel.Core.Common;
using ControlPanel.Core.Security;

namespace ControlPanel.Core.Registries;

/// <summary>A tag in the registry, the builds that made its image and the releases that use it.</summary>
public sealed record RegistryTag(RegistryImage Image, IReadOnlyList<Build> Builds, IReadOnlyList<Releases.Release> Releases);

/// <summary>Configuring registries and browsing them. Passwords go in and are never given back.</summary>
public sealed class RegistryService(IRegistryStore store, IRegistryClient client, IBuildStore builds, Releases.IReleaseStore releases, ICurrentActor actor, TimeProvider time)
{
    public async Task<IReadOnlyList<RegistryDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        return await store.ListAsync(cancellationToken);
    }

    /// <param name="password">null keeps the stored password; empty removes it.</param>
    public async Task<RegistryDefinition> SaveAsync(string name, string url, string? userName, string? password, CancellationToken cancellationToken)
    {
        var who = await actor.RequireAsync(Permission.Administer, cancellationToken);
        if (!System.Text.RegularExpressions.Regex.IsMatch(name ?? "", "^[a-z0-9][a-z0-9-]{0,62}$"))
            throw new InvalidRequestException("name", $"'name' must be 1–63 lowercase letters, digits and '-'; got '{name}'.");
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0 || uri.AbsolutePath != "/")
            throw new InvalidRequestException("url", $"'url' must be the registry's base address, such as https://registry.example.com or http://127.0.0.1:5000 (no path, no credentials); got '{url}'.");
        userName = string.IsNullOrWhiteSpace(userName) ? null : userName.Trim();
        if (userName is null && !string.IsNullOrEmpty(password)) throw new InvalidRequestException("userName", "A password needs a user name.");
        var audit = new AuditEntry
        {
            At = time.GetUtcNow(),
            Actor = who.Name,
            ClientAddress = who.ClientAddress,
            Action = "registry.save",
            Target = name!,
            // Whether the password changed is worth recording; the password itself never is.
            Detail = $"{uri.GetLeftPart(UriPartial.Authority)} user={userName ?? "(none)"} password={(password is null ? "kept" : password.Length == 0 ? "removed" : "set")}",
            Succeeded = true,
            Duration = TimeSpan.Zero,
        };
        return await store.SaveAsync(name!, uri.GetLeftPart(UriPartial.Authority), userName, password, audit, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> RepositoriesAsync(string registry, CancellationToken cancellationToken)
    {
        var (definition, credentials) = await OpenAsync(registry, cancellationToken);
        return await client.RepositoriesAsync(definition, credentials, cancellationToken);
    }

    /// <summary>Every tag of the repository with its digest, size and age, the builds that made it and the releases that use it; newest first.</summary>
    public async Task<IReadOnlyList<RegistryTag>> TagsAsync(string registry, string repository, CancellationToken cancellationToken)
    {
        if (!ImageNames.IsRepository(repository))
            throw new InvalidRequestException("repository", $"'repository' must be a repository name such as shop/api (the distribution spec's grammar); got '{repository}'.");
        var (definition, credentials) = await OpenAsync(registry, cancellationToken);
        var tags = await client.TagsAsync(definition, credentials, repository, cancellationToken);
        var images = new List<RegistryImage>();
        foreach (var chunk in tags.Chunk(8))
            images.AddRange((await Task.WhenAll(chunk.Select(t => client.FindImageAsync(definition, credentials, repository, t, cancellationToken)))).OfType<RegistryImage>());
        var digests = images.Select(i => i.Digest).Distinct().ToList();
        var made = await builds.FindByDigestsAsync(digests, cancellationToken);
        var used = await releases.FindReleasesByDigestsAsync(digests, cancellationToken);
        return images
            .OrderByDescending(i => i.Created ?? DateTimeOffset.MinValue).ThenBy(i => i.Tag, StringComparer.Ordinal)
            .Select(i => new RegistryTag(i, made.Where(b => b.Digest == i.Digest).ToList(), used.Where(r => r.Digest == i.Digest).ToList()))
            .ToList();
    }

    private async Task<(RegistryDefinition, RegistryCredentials?)> OpenAsync(string registry, CancellationToken cancellationToken)
    {
        await actor.RequireAsync(Permission.ViewFleet, cancellationToken);
        var definition = await store.FindAsync(registry, cancellationToken) ?? throw new RegistryNotFoundException(registry);
        return (definition, await store.GetCredentialsAsync(registry, cancellationToken));
    }
}
