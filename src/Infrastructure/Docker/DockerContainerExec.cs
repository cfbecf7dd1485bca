using System.Formats.Tar;
using System.Text;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace ControlPanel.Infrastructure.Docker;

/// <summary><see cref="IContainerExec"/> over the Engine API's exec and archive endpoints.</summary>
public sealed class DockerContainerExec(DockerClientPool clients) : IContainerExec
{
    private const int MaxOutputBytes = 64 * 1024;

    public Task<ExecResult> RunAsync(NodeDefinition node, string id, IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        DockerErrors.Call(node.Name, id, async () =>
        {
            var exec = clients.For(node).Exec;
            var created = await exec.CreateContainerExecAsync(id, new ContainerExecCreateParameters { Cmd = command.ToList(), AttachStdout = true, AttachStderr = true }, cancellationToken);
            using var stream = await exec.StartContainerExecAsync(created.ID, new ContainerExecStartParameters(), cancellationToken);
            var stdout = new MemoryStream();
            var stderr = new MemoryStream();
            var buffer = new byte[16 * 1024];
            // Read to the end (the exec ends with its stream), keeping only the first 64 KiB of each: a chatty command must not fill memory.
            while (await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken) is { EOF: false } read)
            {
                var target = read.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout;
                target.Write(buffer, 0, (int)Math.Min(read.Count, Math.Max(0, MaxOutputBytes - target.Length)));
            }
            var finished = await exec.InspectContainerExecAsync(created.ID, cancellationToken);
            var output = Encoding.UTF8.GetString(stdout.ToArray()) + Encoding.UTF8.GetString(stderr.ToArray());
            return new ExecResult((int)(finished.ExitCode ?? -1), output);
        });

    public Task<byte[]?> ReadFileAsync(NodeDefinition node, string id, string path, CancellationToken cancellationToken) =>
        DockerErrors.Call(node.Name, id, async () =>
        {
            ContainerArchiveResponse archive;
            try
            {
                archive = await clients.For(node).Containers.GetArchiveFromContainerAsync(id, new ContainerPathStatParameters { Path = path }, false, cancellationToken);
            }
            catch (DockerApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound && !IsMissingContainer(ex))
            {
                return null; // the container is there; the file is not
            }
            // Read into memory first: TarReader reading a file's data straight from Docker.DotNet's chunked response stream
            // fails with EndOfStreamException for any file over one 512-byte tar block. Bounded, so a huge path is refused, not loaded.
            await using var tar = await BufferArchiveAsync(archive.Stream ?? Stream.Null, node, path, cancellationToken);
            using var reader = new TarReader(tar);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                if (entry.Length > IContainerExec.MaxFileBytes)
                    throw new EngineRefusedException(node.Name, $"{path} is {entry.Length} bytes, more than the {IContainerExec.MaxFileBytes} read from a container");
                var content = new MemoryStream();
                if (entry.DataStream is { } data) await data.CopyToAsync(content, cancellationToken);
                return content.ToArray();
            }
            return null; // a folder or a link: not a file
        });

    private static async Task<MemoryStream> BufferArchiveAsync(Stream archive, NodeDefinition node, string path, CancellationToken cancellationToken)
    {
        await using var source = archive;
        // The file plus its tar headers and padding.
        const int limit = IContainerExec.MaxFileBytes + 64 * 1024;
        var buffered = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffered.Length + read > limit)
                throw new EngineRefusedException(node.Name, $"{path} is more than the {IContainerExec.MaxFileBytes} bytes read from a container");
            buffered.Write(chunk, 0, read);
        }
        buffered.Position = 0;
        return buffered;
    }

    public Task WriteFileAsync(NodeDefinition node, string id, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        DockerErrors.Call(node.Name, id, async () =>
        {
            var slash = path.LastIndexOf('/');
            if (slash < 0 || slash == path.Length - 1) throw new InvalidRequestException("path", $"'{path}' is not an absolute path to a file.");
            using var tar = new MemoryStream();
            await using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
            {
                var entry = new UstarTarEntry(TarEntryType.RegularFile, path[(slash + 1)..])
                {
                    DataStream = new MemoryStream(content.ToArray()),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    ModificationTime = DateTimeOffset.UtcNow,
                };
                await writer.WriteEntryAsync(entry, cancellationToken);
            }
            tar.Position = 0;
            await clients.For(node).Containers.ExtractArchiveToContainerAsync(id,
                new CopyToContainerParameters { Path = slash == 0 ? "/" : path[..slash], AllowOverwriteDirWithFile = false }, tar, cancellationToken);
        });

    // Docker.DotNet reports every 404 of the archive call as a missing container; the engine's words tell them apart.
    private static bool IsMissingContainer(DockerApiException ex) => (ex.ResponseBody ?? "").Contains("No such container", StringComparison.OrdinalIgnoreCase);
}
