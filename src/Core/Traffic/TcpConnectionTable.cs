using System.Globalization;

namespace ControlPanel.Core.Traffic;

/// <summary>
/// Reads Linux's /proc/net/tcp and /proc/net/tcp6: one socket per line, "sl local_address rem_address st ...", the
/// addresses as HEXIP:HEXPORT and st in hex (01 established, 03 SYN received). Replicas share their host's network,
/// so a replica's own port tells its connections apart from every other.
/// </summary>
public static class TcpConnectionTable
{
    private const string Established = "01";
    private const string SynReceived = "03";

    /// <summary>
    /// Connections accepted (or being accepted) on one of <paramref name="ports"/>: work the replica still has, or a
    /// request waiting in its listen queue that a stop would lose.
    /// </summary>
    public static int CountServing(string table, IReadOnlySet<int> ports)
    {
        var count = 0;
        foreach (var line in table.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[3] is not (Established or SynReceived)) continue;
            var colon = fields[1].LastIndexOf(':');
            if (colon < 0 || !int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port)) continue;
            if (ports.Contains(port)) count++;
        }
        return count;
    }
}
