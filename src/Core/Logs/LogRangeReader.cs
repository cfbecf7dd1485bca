using System.Runtime.CompilerServices;
using ControlPanel.Core.Fleet;

namespace ControlPanel.Core.Logs;

/// <summary>A part of one container's log read straight from its engine (to search or download it, or fill a gap), by node name and container name or id.</summary>
public sealed class LogRangeReader(ILogSource source, FleetService fleet)
{
    /// <summary>
    /// The lines <paramref name="query"/> asks for. Throws (before the first line) InvalidRequestException for a bad
    /// range, NodeNotFoundException / ContainerNotFoundException when either is unknown.
    /// </summary>
    public async IAsyncEnumerable<LogLine> ReadAsync(string nodeName, string container, LogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        query = query.Validated();
        var node = fleet.RequireNode(nodeName);
        var details = await fleet.GetContainerAsync(nodeName, container, cancellationToken);
        await foreach (var line in source.ReadAsync(node, details.Id, details.Tty, query, cancellationToken)) yield return line;
    }
}
