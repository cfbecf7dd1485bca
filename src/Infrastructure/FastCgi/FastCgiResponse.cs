using System.Globalization;
using System.Text;

namespace ControlPanel.Infrastructure.FastCgi;

/// <summary>What a FastCGI responder wrote to FCGI_STDOUT: a CGI response, that is header lines, a blank line and the body.</summary>
/// <param name="Status">From the Status header; 200 when there is none, as CGI says.</param>
/// <param name="Reason">The text after the status code, e.g. Not Found.</param>
public sealed record FastCgiResponse(int Status, string Reason, string Body)
{
    /// <summary>The response, or null when no blank line ends its headers or the Status header holds no code.</summary>
    public static FastCgiResponse? Parse(ReadOnlySpan<byte> stdout)
    {
        var (headerEnd, bodyStart) = HeaderEnd(stdout);
        if (headerEnd < 0) return null;
        var (status, reason) = (200, "OK");
        foreach (var line in Encoding.Latin1.GetString(stdout[..headerEnd]).Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || !line[..colon].Trim().Equals("Status", StringComparison.OrdinalIgnoreCase)) continue;
            var value = line[(colon + 1)..].Trim();
            var space = value.IndexOf(' ', StringComparison.Ordinal);
            if (!int.TryParse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture, out status) || status is < 100 or > 999) return null;
            reason = space < 0 ? "" : value[(space + 1)..];
        }
        return new FastCgiResponse(status, reason, Encoding.UTF8.GetString(stdout[bodyStart..]));
    }

    /// <summary>Where the headers end and the body starts: after the first empty line, whether lines end in CRLF or LF.</summary>
    private static (int HeaderEnd, int BodyStart) HeaderEnd(ReadOnlySpan<byte> stdout)
    {
        for (var i = 0; i < stdout.Length; i++)
        {
            if (stdout[i] != '\n') continue;
            if (i + 1 < stdout.Length && stdout[i + 1] == '\n') return (i, i + 2);
            if (i + 2 < stdout.Length && stdout[i + 1] == '\r' && stdout[i + 2] == '\n') return (i, i + 3);
        }
        return (-1, -1);
    }
}
