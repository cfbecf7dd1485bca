using System.Formats.Tar;
using System.Text;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace ControlPanel.Infrastructure.Docker;

/// <summary><see cref="IContainerExec"/> over the Engine API's exec and archive endpoints.</summary>
/// <remarks>Files go through plain HTTP (<see cref="EngineHttp"/>), commands through Docker.DotNet's exec.</remarks>
public sealed class DockerContainerExec(DockerClientPool clients, EngineHttp http) : IContainerExec
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

    public async Task<byte[]?> ReadFileAsync(NodeDefinition node, string id, string path, CancellationToken cancellationToken)
    {
        // Plain HTTP, not Docker.DotNet: its chunked-body reader ends early on some archives ("read past the end").
        using var response = await SendAsync(node, id, new HttpRequestMessage(HttpMethod.Get, ArchiveUrl(id, path)), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            var message = await response.Content.ReadAsStringAsync(cancellationToken);
            if (message.Contains("No such container", StringComparison.OrdinalIgnoreCase)) throw new ContainerNotFoundException(node.Name, id);
            return null; // the container is there; the file is not
        }
        await EnsureSuccessAsync(node, response, cancellationToken);
        try
        {
            await using var tar = await response.Content.ReadAsStreamAsync(cancellationToken);
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
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or HttpRequestException)
        {
            throw new EngineUnavailableException(node.Name, $"reading {path} from the container failed: {ex.Message}", ex);
        }
    }

    public async Task WriteFileAsync(NodeDefinition node, string id, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
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
        var request = new HttpRequestMessage(HttpMethod.Put, ArchiveUrl(id, slash == 0 ? "/" : path[..slash]) + "&noOverwriteDirNonDir=true")
        {
            Content = new ByteArrayContent(tar.ToArray()) { Headers = { ContentType = new("application/x-tar") } },
        };
        using var response = await SendAsync(node, id, request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            var message = await response.Content.ReadAsStringAsync(cancellationToken);
            if (message.Contains("No such container", StringComparison.OrdinalIgnoreCase)) throw new ContainerNotFoundException(node.Name, id);
            throw new EngineRefusedException(node.Name, $"the folder of {path} does not exist in the container ({EngineMessage(message)})");
        }
        await EnsureSuccessAsync(node, response, cancellationToken);
    }

    private static string ArchiveUrl(string id, string path) => $"/containers/{Uri.EscapeDataString(id)}/archive?path={Uri.EscapeDataString(path)}";

    private async Task<HttpResponseMessage> SendAsync(NodeDefinition node, string id, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                return await http.For(node).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (Exception ex) when (DockerErrors.Translate(node.Name, id, ex) is { } translated)
            {
                throw translated;
            }
        }
    }

    private static async Task EnsureSuccessAsync(NodeDefinition node, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        throw new EngineRefusedException(node.Name, EngineMessage(await response.Content.ReadAsStringAsync(cancellationToken)));
    }

    /// <summary>The engine's own words: its JSON error body is {"message": "..."}.</summary>
    private static string EngineMessage(string body)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("message", out var m) && m.GetString() is { Length: > 0 } text) return text;
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: the raw body says it.
        }
        return body.Trim();
    }
}
