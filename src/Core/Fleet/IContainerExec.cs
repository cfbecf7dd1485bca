namespace ControlPanel.Core.Fleet;

/// <summary>
/// Reaches inside a running container through its engine: runs a command (exec) and reads or writes a file (the
/// archive API). Nothing but the node's Docker endpoint is needed, so it works for a remote node as for a local one.
/// Throws as <see cref="IContainerEngine"/> does.
/// </summary>
public interface IContainerExec
{
    /// <summary>Runs <paramref name="command"/> (no shell) and returns its exit code and output (stdout then stderr, at most 64 KiB each).</summary>
    Task<ExecResult> RunAsync(NodeDefinition node, string id, IReadOnlyList<string> command, CancellationToken cancellationToken);

    /// <summary>The file's content (at most <see cref="MaxFileBytes"/>), or null when the container has no such file.</summary>
    Task<byte[]?> ReadFileAsync(NodeDefinition node, string id, string path, CancellationToken cancellationToken);

    /// <summary>Writes the whole file, replacing it; its folder must exist.</summary>
    Task WriteFileAsync(NodeDefinition node, string id, string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>The largest file <see cref="ReadFileAsync"/> reads: configuration, not data.</summary>
    public const int MaxFileBytes = 1024 * 1024;
}

/// <param name="Output">What the command printed: stdout, then stderr, each cut to 64 KiB.</param>
public sealed record ExecResult(int ExitCode, string Output);
