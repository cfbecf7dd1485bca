using System.Formats.Tar;
using System.Text;
using ControlPanel.Core.Builds;

namespace ControlPanel.Infrastructure.Git;

/// <summary>Copies a git archive of the context into the tar the engine receives, leaving out what .dockerignore excludes.</summary>
public static class BuildContextWriter
{
    /// <summary>Where a Dockerfile from outside the context is put inside it.</summary>
    public const string AddedDockerfile = ".controlpanel.Dockerfile";

    /// <summary>The Dockerfile's path inside the context, or null when it lies outside it.</summary>
    public static string? PathInContext(string contextPath, string dockerfilePath) =>
        contextPath == "." ? dockerfilePath
        : dockerfilePath.StartsWith(contextPath + "/", StringComparison.Ordinal) ? dockerfilePath[(contextPath.Length + 1)..] : null;

    /// <param name="inContext">The Dockerfile's path in the context; null when it comes from outside as <paramref name="outsideDockerfile"/>.</param>
    /// <returns>null when the Dockerfile named by <paramref name="inContext"/> is not in the archive.</returns>
    public static async Task<BuildContextInfo?> WriteAsync(Stream archive, string? inContext, string? outsideDockerfile, Stream destination, CancellationToken cancellationToken)
    {
        // .dockerignore sits at the context's root; it is read first, so the archive is read twice (it is a local file).
        var ignore = DockerIgnore.Parse(await ReadEntryAsync(archive, ".dockerignore", cancellationToken));
        archive.Position = 0;
        var (files, bytes, ignored, found) = (0, 0L, 0, false);
        await using (var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true))
        {
            await using var reader = new TarReader(archive, leaveOpen: true);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                // Reading a local file seldom looks at the token: a cancelled build stops at the next file, not at the end of the tree.
                cancellationToken.ThrowIfCancellationRequested();
                if (entry.EntryType is TarEntryType.GlobalExtendedAttributes) continue; // git's commit-id comment
                var name = entry.Name.TrimEnd('/');
                // The engine needs the Dockerfile and .dockerignore even when .dockerignore lists them (as docker build does).
                var always = name == inContext || name == ".dockerignore";
                if (!always && ignore.Excludes(name))
                {
                    if (entry.EntryType is not TarEntryType.Directory) ignored++;
                    continue;
                }
                await writer.WriteEntryAsync(entry as PaxTarEntry ?? new PaxTarEntry(entry), cancellationToken);
                found |= name == inContext && entry.EntryType is not TarEntryType.Directory;
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile) { files++; bytes += entry.Length; }
            }
            if (inContext is null)
            {
                var data = Encoding.UTF8.GetBytes(outsideDockerfile ?? "");
                var added = new PaxTarEntry(TarEntryType.RegularFile, AddedDockerfile) { DataStream = new MemoryStream(data), Mode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead };
                await writer.WriteEntryAsync(added, cancellationToken);
                files++;
                bytes += data.Length;
            }
        }
        return inContext is null || found ? new BuildContextInfo(files, bytes, ignored, inContext ?? AddedDockerfile) : null;
    }

    private static async Task<string?> ReadEntryAsync(Stream archive, string name, CancellationToken cancellationToken)
    {
        await using var reader = new TarReader(archive, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.Name != name || entry.DataStream is null) continue;
            using var text = new StreamReader(entry.DataStream, Encoding.UTF8);
            return await text.ReadToEndAsync(cancellationToken);
        }
        return null;
    }
}
