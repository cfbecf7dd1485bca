using System.Buffers.Binary;
using System.Text;
using ControlPanel.Core.Logs;
using ControlPanel.Infrastructure.Docker.Logs;

namespace ControlPanel.Infrastructure.Tests.Logs;

public class DockerLogFrameParserTests
{
    private static byte[] Frame(LogStream stream, string payload)
    {
        var body = Encoding.UTF8.GetBytes(payload);
        var frame = new byte[8 + body.Length];
        frame[0] = (byte)stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)body.Length);
        body.CopyTo(frame, 8);
        return frame;
    }

    // Lines split across frames, an empty line, CRLF, stderr interleaved, a final line without newline.
    private static readonly byte[] Multiplexed =
    [
        .. Frame(LogStream.Stdout, "hello "), .. Frame(LogStream.Stdout, "world\nsecond\r\n"),
        .. Frame(LogStream.Stderr, "err one\n\n"), .. Frame(LogStream.Stdout, "thi"), .. Frame(LogStream.Stderr, "err two"),
        .. Frame(LogStream.Stdout, "rd\nünïcödé ✓\n"), .. Frame(LogStream.Stdout, "last, no newline"),
    ];

    private static readonly string[] Expected =
    [
        "Stdout:hello world", "Stdout:second", "Stderr:err one", "Stderr:", "Stdout:third", "Stdout:ünïcödé ✓",
        "Stdout:last, no newline", "Stderr:err two",
    ];

    private static List<string> Parse(DockerLogFrameParser parser, IEnumerable<byte[]> reads)
    {
        var lines = new List<string>();
        void OnLine(LogStream s, ReadOnlySpan<byte> line, bool truncated) => lines.Add($"{s}:{Encoding.UTF8.GetString(line)}{(truncated ? "…" : "")}");
        foreach (var read in reads) parser.Feed(read, OnLine);
        parser.Complete(OnLine);
        return lines;
    }

    [Fact]
    public void EveryPairOfSplitPoints_GivesTheSameLines()
    {
        // Two cuts at every pair of byte positions: each read may end inside a header, a payload or a line.
        for (var a = 0; a <= Multiplexed.Length; a++)
        {
            for (var b = a; b <= Multiplexed.Length; b += 7)
            {
                var reads = new[] { Multiplexed[..a], Multiplexed[a..b], Multiplexed[b..] };
                Assert.Equal(Expected, Parse(new DockerLogFrameParser(tty: false), reads));
            }
        }
    }

    [Fact]
    public void OneByteAtATime_GivesTheSameLines() =>
        Assert.Equal(Expected, Parse(new DockerLogFrameParser(tty: false), Multiplexed.Select(b => new[] { b })));

    [Fact]
    public void Tty_IsTheRawStdoutStream_SplitAnywhere()
    {
        var raw = Encoding.UTF8.GetBytes("one\ntwo\r\n\u001b[31mred\u001b[0m\nend");
        for (var cut = 0; cut <= raw.Length; cut++)
        {
            var lines = Parse(new DockerLogFrameParser(tty: true), [raw[..cut], raw[cut..]]);
            Assert.Equal(["Stdout:one", "Stdout:two", "Stdout:\u001b[31mred\u001b[0m", "Stdout:end"], lines);
        }
    }

    [Fact]
    public void OverlongLine_IsCutAtTheCap_MarkedTruncated_AndTheNextLineIsIntact()
    {
        var huge = new string('x', 3000);
        var data = Frame(LogStream.Stdout, huge + "\nnext\n");
        var lines = Parse(new DockerLogFrameParser(tty: false, maxLineBytes: 1000), data.Chunk(512));
        Assert.Equal([new string('x', 1000) + "…", "Stdout:next"], lines.Select(l => l.StartsWith("Stdout:x", StringComparison.Ordinal) ? l[7..] : l));
    }

    [Fact]
    public void InvalidUtf8_BecomesReplacementCharacters()
    {
        byte[] data = [.. Frame(LogStream.Stdout, "ok "), 1, 0, 0, 0, 0, 0, 0, 3, 0xC3, 0x28, (byte)'\n'];
        var lines = Parse(new DockerLogFrameParser(tty: false), [data]);
        Assert.Equal(["Stdout:ok \uFFFD("], lines);
    }
}
