using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ControlPanel.Core.Registries;

namespace ControlPanel.Infrastructure.Registry;

/// <summary>
/// A small typed client for the Registry HTTP API v2 (distribution spec): catalog, tags, manifests and image
/// configs. Logs in with basic auth, or with a bearer token when the registry's challenge asks for one. A registry is
/// not trusted with more than its own answers: names it sends back are checked like user input, answers are read up to
/// <see cref="BoundedContent.MaxBytes"/>, and credentials go to a token realm only on its own host or an allowed one.
/// </summary>
public sealed class RegistryHttpClient(HttpClient http, RegistryOptions options) : IRegistryClient
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    public async Task<IReadOnlyList<string>> RepositoriesAsync(RegistryDefinition registry, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(registry, credentials, HttpMethod.Get, "/v2/_catalog?n=1000", null, cancellationToken);
        using var json = await ReadJsonAsync(registry, response, cancellationToken);
        return Strings(json.RootElement, "repositories").Where(ImageNames.IsRepository).ToList();
    }

    public async Task<IReadOnlyList<string>> TagsAsync(RegistryDefinition registry, RegistryCredentials? credentials, string repository, CancellationToken cancellationToken)
    {
        RequireName(registry, repository, ImageNames.IsRepository(repository));
        using var response = await SendAsync(registry, credentials, HttpMethod.Get, $"/v2/{repository}/tags/list?n=1000", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return [];
        using var json = await ReadJsonAsync(registry, response, cancellationToken);
        // Each tag goes into a manifest URL next: one that is not a tag would address something else.
        return Strings(json.RootElement, "tags").Where(ImageNames.IsTag).ToList();
    }

    public async Task<RegistryImage?> FindImageAsync(RegistryDefinition registry, RegistryCredentials? credentials, string repository, string reference, CancellationToken cancellationToken)
    {
        RequireName(registry, repository, ImageNames.IsRepository(repository));
        RequireName(registry, reference, ImageNames.IsReference(reference));
        using var response = await SendAsync(registry, credentials, HttpMethod.Get, $"/v2/{repository}/manifests/{reference}", ManifestTypes, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        using var manifest = await ReadJsonAsync(registry, response, cancellationToken);
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : reference;
        var root = manifest.RootElement;
        if (root.TryGetProperty("manifests", out var platforms))
            return new RegistryImage(repository, reference, digest, platforms.EnumerateArray().Sum(m => Size(m)), null);
        var config = root.GetProperty("config");
        var size = Size(config) + (root.TryGetProperty("layers", out var layers) ? layers.EnumerateArray().Sum(Size) : 0);
        var configDigest = config.GetProperty("digest").GetString();
        if (!ImageNames.IsDigest(configDigest)) throw new RegistryException(registry.Name, $"the manifest of {repository}:{reference} names its config '{configDigest}', which is not a digest");
        return new RegistryImage(repository, reference, digest, size, await CreatedAsync(registry, credentials, repository, configDigest!, cancellationToken));
    }

    private async Task<DateTimeOffset?> CreatedAsync(RegistryDefinition registry, RegistryCredentials? credentials, string repository, string configDigest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(registry, credentials, HttpMethod.Get, $"/v2/{repository}/blobs/{configDigest}", null, cancellationToken);
        using var config = await ReadJsonAsync(registry, response, cancellationToken);
        return config.RootElement.TryGetProperty("created", out var created) && created.TryGetDateTimeOffset(out var at) ? at : null;
    }

    private async Task<HttpResponseMessage> SendAsync(RegistryDefinition registry, RegistryCredentials? credentials, HttpMethod method, string path, string[]? accept,
        CancellationToken cancellationToken)
    {
        var uri = new Uri(new Uri(registry.Url), path);
        var response = await TrySendAsync(registry, Request(method, uri, accept, Basic(credentials)), cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme == "Bearer") is not { } challenge)
            return response;
        // Token auth (Docker Hub, Harbor, GitLab...): ask the realm for a token for this scope, then retry once.
        response.Dispose();
        var token = await TokenAsync(registry, credentials, challenge, cancellationToken);
        return await TrySendAsync(registry, Request(method, uri, accept, new AuthenticationHeaderValue("Bearer", token)), cancellationToken);
    }

    private async Task<string> TokenAsync(RegistryDefinition registry, RegistryCredentials? credentials, AuthenticationHeaderValue challenge, CancellationToken cancellationToken)
    {
        var fields = (challenge.Parameter ?? "").Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim().Trim('"'));
        if (!fields.TryGetValue("realm", out var realm)) throw new RegistryException(registry.Name, "asked for a token without saying where to get one (no realm)");
        var token = new UriBuilder(AllowedRealm(registry, realm));
        var query = string.Join('&', fields.Where(f => f.Key is "service" or "scope").Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}"));
        if (query.Length > 0) token.Query = token.Query.Length > 1 ? $"{token.Query[1..]}&{query}" : query;
        using var response = await TrySendAsync(registry, Request(HttpMethod.Get, token.Uri, null, Basic(credentials)), cancellationToken);
        using var json = await ReadJsonAsync(registry, response, cancellationToken);
        return (json.RootElement.TryGetProperty("token", out var t) || json.RootElement.TryGetProperty("access_token", out t)) && t.GetString() is { } value
            ? value : throw new RegistryException(registry.Name, "the token service answered without a token");
    }

    /// <summary>
    /// The registry's stored credentials go to its realm, so a registry (or whoever answers in its name) could name any
    /// host and collect them. Its own host name is trusted on any port (token services often listen beside the
    /// registry); another only when an Admin lists it; never over http when the registry itself is https.
    /// </summary>
    private Uri AllowedRealm(RegistryDefinition registry, string realm)
    {
        if (!Uri.TryCreate(realm, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.UserInfo.Length > 0)
            throw new RegistryException(registry.Name, $"asked for a token from '{realm}', which is not an http(s) address; no credentials were sent");
        var own = new Uri(registry.Url);
        if (own.Scheme == Uri.UriSchemeHttps && uri.Scheme == Uri.UriSchemeHttp)
            throw new RegistryException(registry.Name, $"asked for a token over plain http from {uri.Host}; no credentials were sent");
        if (string.Equals(uri.IdnHost, own.IdnHost, StringComparison.OrdinalIgnoreCase)
            || options.AllowedTokenRealms.Contains(uri.IdnHost, StringComparer.OrdinalIgnoreCase))
            return uri;
        throw new RegistryException(registry.Name,
            $"asked for a token from {uri.Host}, which is not its own host ({own.Host}); no credentials were sent. An Admin can allow that host in {RegistryOptions.Section}:AllowedTokenRealms");
    }

    /// <summary>Names go into the URL path: "../" or an escaped '?' would reach other paths of the host, with the credentials.</summary>
    private static void RequireName(RegistryDefinition registry, string name, bool valid)
    {
        if (!valid) throw new RegistryException(registry.Name, $"'{name}' is not a valid repository name, tag or digest (distribution spec); nothing was sent");
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri uri, string[]? accept, AuthenticationHeaderValue? authorization)
    {
        var request = new HttpRequestMessage(method, uri);
        foreach (var type in accept ?? []) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        request.Headers.Authorization = authorization;
        return request;
    }

    private static AuthenticationHeaderValue? Basic(RegistryCredentials? credentials) =>
        credentials is null ? null : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.UserName}:{credentials.Password}")));

    private async Task<HttpResponseMessage> TrySendAsync(RegistryDefinition registry, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                // Headers only: the body is read by BoundedContent, never buffered whole.
                return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw new RegistryException(registry.Name, $"unreachable at {registry.Url}: {ex.Message}", ex);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new RegistryException(registry.Name, $"no answer from {registry.Url} in time", ex);
            }
        }
    }

    /// <summary>The body as JSON, or a <see cref="RegistryException"/> with the registry's own error text (errors[].message).</summary>
    private static async Task<JsonDocument> ReadJsonAsync(RegistryDefinition registry, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await BoundedContent.ReadAsync(registry, response, cancellationToken);
        if (response.IsSuccessStatusCode) return JsonDocument.Parse(body);
        var message = $"HTTP {(int)response.StatusCode}";
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("errors", out var errors))
                message = string.Join("; ", errors.EnumerateArray().Select(e => $"{e.GetProperty("code").GetString()?.ToLowerInvariant()}: {e.GetProperty("message").GetString()}"));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Not the registry's error format: the status says enough.
        }
        throw new RegistryException(registry.Name, message);
    }

    private static List<string> Strings(JsonElement root, string property) =>
        root.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().Select(e => e.GetString()!).ToList() : [];

    private static long Size(JsonElement element) => element.TryGetProperty("size", out var size) ? size.GetInt64() : 0;
}
