using ControlPanel.Core.Registries;

namespace ControlPanel.Infrastructure.Registry;

/// <summary>
/// Reads a registry's answer up to a fixed size. Manifests, configs, tokens and 1,000-entry catalog or tag pages are
/// kilobytes; a registry answering with a gigabyte was read whole and held the panel at 2.4 GB.
/// </summary>
internal static class BoundedContent
{
    public const int MaxBytes = 4 * 1024 * 1024;
    private const string Limit = "4 MiB";

    public static async Task<byte[]> ReadAsync(RegistryDefinition registry, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // A declared length over the limit fails before a byte of the body is read.
        if (response.Content.Headers.ContentLength is { } declared && declared > MaxBytes)
            throw TooLarge(registry, $"{declared:N0} bytes");
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes) throw TooLarge(registry, $"more than {Limit}");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    // The caller disposes the response, which closes the connection instead of draining the rest.
    private static RegistryException TooLarge(RegistryDefinition registry, string size) =>
        new(registry.Name, $"answered with {size}; the panel reads at most {Limit} from a registry (size limit), so it stopped reading");
}
