using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Logs;

/// <summary>Reads container logs from an engine.</summary>
public interface ILogSource
{
    /// <summary>
    /// The container's log lines in the engine's order, each with the engine's own timestamp. The caller has
    /// inspected the container: <paramref name="containerId"/> is its full id and <paramref name="tty"/> its TTY
    /// flag (which decides how the engine frames the log). Without <see cref="LogQuery.Follow"/> the stream ends
    /// after the requested range; with it, when the container is removed or stops and the engine closes the
    /// stream, or when <paramref name="cancellationToken"/> is cancelled. Throws ContainerNotFoundException
    /// for an unknown container. <paramref name="opened"/> is called once the engine has answered and its stream
    /// is open: every line the container writes from then on is in it.
    /// </summary>
    IAsyncEnumerable<LogLine> ReadAsync(NodeDefinition node, string containerId, bool tty, LogQuery query, CancellationToken cancellationToken, Action? opened = null);
}
