using System.Buffers.Binary;
using ControlPanel.Core.Logs;

namespace ControlPanel.Infrastructure.Docker.Logs;

/// <summary>
/// Turns the bytes of GET /containers/{id}/logs into lines. Without a TTY the engine multiplexes:
/// each frame is an 8-byte header (stream type, 3 zero bytes, big-endian payload length) then the
/// payload. Reads may end anywhere — inside a header or a payload — and a line may span frames, so
/// both are carried over between calls. With a TTY the body is the raw stdout stream.
/// Each stream's unfinished line is capped at <see cref="MaxLineBytes"/>: memory stays bounded
/// whatever a container writes; the rest of such a line is dropped and the line marked truncated.
/// </summary>
public sealed class DockerLogFrameParser(bool tty, int maxLineBytes = DockerLogFrameParser.DefaultMaxLineBytes)
{
    public const int DefaultMaxLineBytes = 1 << 20;
    private const int HeaderSize = 8;

    private readonly byte[] _header = new byte[HeaderSize];
    private readonly LineBuffer _stdout = new(LogStream.Stdout, maxLineBytes);
    private readonly LineBuffer _stderr = new(LogStream.Stderr, maxLineBytes);
    private int _headerFilled;
    private int _payloadLeft;
    private LineBuffer? _current;

    public int MaxLineBytes => maxLineBytes;

    public delegate void LineHandler(LogStream stream, ReadOnlySpan<byte> line, bool truncated);

    public void Feed(ReadOnlySpan<byte> data, LineHandler onLine)
    {
        if (tty)
        {
            _stdout.Append(data, onLine);
            return;
        }
        while (!data.IsEmpty)
        {
            if (_payloadLeft == 0)
            {
                var take = Math.Min(HeaderSize - _headerFilled, data.Length);
                data[..take].CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += take;
                data = data[take..];
                if (_headerFilled < HeaderSize) return;
                _headerFilled = 0;
                _payloadLeft = checked((int)BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(4)));
                // 0 = stdin (never sent for logs), 1 = stdout, 2 = stderr; anything else is not a log frame.
                _current = _header[0] == 2 ? _stderr : _stdout;
                continue;
            }
            var chunk = Math.Min(_payloadLeft, data.Length);
            _current!.Append(data[..chunk], onLine);
            _payloadLeft -= chunk;
            data = data[chunk..];
        }
    }

    /// <summary>End of stream: a last line without a newline is still a line.</summary>
    public void Complete(LineHandler onLine)
    {
        _stdout.Flush(onLine);
        _stderr.Flush(onLine);
    }

    private sealed class LineBuffer(LogStream stream, int max)
    {
        private byte[] _buffer = new byte[256];
        private int _length;
        private bool _truncated;

        public void Append(ReadOnlySpan<byte> data, LineHandler onLine)
        {
            while (!data.IsEmpty)
            {
                var newline = data.IndexOf((byte)'\n');
                var part = newline < 0 ? data : data[..newline];
                var room = max - _length;
                if (part.Length > room)
                {
                    Add(part[..room]);
                    _truncated = true;
                }
                else
                {
                    Add(part);
                }
                if (newline < 0) return;
                Emit(onLine);
                data = data[(newline + 1)..];
            }
        }

        public void Flush(LineHandler onLine)
        {
            if (_length > 0 || _truncated) Emit(onLine);
        }

        private void Add(ReadOnlySpan<byte> bytes)
        {
            if (_length + bytes.Length > _buffer.Length) Array.Resize(ref _buffer, Math.Min(max, Math.Max(_buffer.Length * 2, _length + bytes.Length)));
            bytes.CopyTo(_buffer.AsSpan(_length));
            _length += bytes.Length;
        }

        private void Emit(LineHandler onLine)
        {
            var line = _buffer.AsSpan(0, _length);
            if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
            onLine(stream, line, _truncated);
            _length = 0;
            _truncated = false;
            // A huge line's buffer is not kept for the lines after it.
            if (_buffer.Length > 64 * 1024) _buffer = new byte[256];
        }
    }
}
