using System.Buffers.Binary;
using System.Text;

namespace ControlPanel.Infrastructure.FastCgi;

/// <summary>Record types of the FastCGI protocol, version 1 (FastCGI Specification, section 8).</summary>
public enum FastCgiRecordType : byte
{
    BeginRequest = 1,
    AbortRequest = 2,
    EndRequest = 3,
    Params = 4,
    Stdin = 5,
    Stdout = 6,
    Stderr = 7,
    Data = 8,
    GetValues = 9,
    GetValuesResult = 10,
    UnknownType = 11,
}

/// <summary>One record as read: its type, the request it belongs to, and its content without padding.</summary>
public sealed record FastCgiRecord(FastCgiRecordType Type, ushort RequestId, byte[] Content);

/// <summary>The FastCGI server broke the protocol: what it sent cannot be read as records.</summary>
public sealed class FastCgiProtocolException(string message) : Exception(message);

/// <summary>
/// Writes and reads FastCGI records: an 8-byte header (version 1, type, request id and content length big-endian,
/// padding length, a reserved byte), the content (at most 65,535 bytes) and the padding. A record read is never
/// larger than that, so a reader holds at most one record at a time.
/// </summary>
public static class FastCgiRecords
{
    public const int HeaderLength = 8;
    public const int MaxContentLength = ushort.MaxValue;
    private const byte Version = 1;
    private const ushort ResponderRole = 1;

    /// <summary>
    /// A whole responder request without a body: FCGI_BEGIN_REQUEST (role responder, flags 0 so the server closes the
    /// connection when it is done), the parameters as FCGI_PARAMS records, then the empty FCGI_PARAMS and FCGI_STDIN
    /// that end both streams.
    /// </summary>
    public static byte[] Request(ushort requestId, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        using var output = new MemoryStream();
        Span<byte> begin = stackalloc byte[8]; // role (2 bytes), flags, 5 reserved
        BinaryPrimitives.WriteUInt16BigEndian(begin, ResponderRole);
        Write(output, FastCgiRecordType.BeginRequest, requestId, begin);
        var pairs = Pairs(parameters);
        for (var offset = 0; offset < pairs.Length; offset += MaxContentLength)
            Write(output, FastCgiRecordType.Params, requestId, pairs.AsSpan(offset, Math.Min(MaxContentLength, pairs.Length - offset)));
        Write(output, FastCgiRecordType.Params, requestId, []);
        Write(output, FastCgiRecordType.Stdin, requestId, []);
        return output.ToArray();
    }

    /// <summary>Name-value pairs: each length in one byte when below 128, otherwise in four bytes big-endian with the top bit set; then the name and the value.</summary>
    public static byte[] Pairs(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        using var output = new MemoryStream();
        foreach (var (name, value) in parameters)
        {
            var n = Encoding.UTF8.GetBytes(name);
            var v = Encoding.UTF8.GetBytes(value);
            WriteLength(output, n.Length);
            WriteLength(output, v.Length);
            output.Write(n);
            output.Write(v);
        }
        return output.ToArray();

        static void WriteLength(Stream output, int length)
        {
            if (length < 128)
            {
                output.WriteByte((byte)length);
                return;
            }
            Span<byte> four = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(four, (uint)length | 0x8000_0000u);
            output.Write(four);
        }
    }

    /// <summary>Writes one record, padded to a multiple of 8 bytes as the specification recommends.</summary>
    public static void Write(Stream output, FastCgiRecordType type, ushort requestId, ReadOnlySpan<byte> content)
    {
        if (content.Length > MaxContentLength) throw new ArgumentOutOfRangeException(nameof(content), $"A record holds at most {MaxContentLength} bytes.");
        var padding = (byte)((8 - content.Length % 8) % 8);
        Span<byte> header = stackalloc byte[HeaderLength];
        header[0] = Version;
        header[1] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], requestId);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], (ushort)content.Length);
        header[6] = padding;
        header[7] = 0;
        output.Write(header);
        output.Write(content);
        output.Write(stackalloc byte[padding]);
    }

    /// <summary>Reads the next record; null when the server closed the connection between records.</summary>
    /// <exception cref="FastCgiProtocolException">Not version 1, or the connection ended inside a record.</exception>
    public static async Task<FastCgiRecord?> ReadAsync(Stream input, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderLength];
        var read = await input.ReadAtLeastAsync(header, HeaderLength, throwOnEndOfStream: false, cancellationToken);
        if (read == 0) return null;
        if (read < HeaderLength) throw new FastCgiProtocolException($"the connection ended inside a record header ({read} of {HeaderLength} bytes)");
        if (header[0] != Version) throw new FastCgiProtocolException($"sent a record of version {header[0]}, not FastCGI version 1");
        var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4));
        var body = new byte[length + header[6]];
        if (await input.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, cancellationToken) < body.Length)
            throw new FastCgiProtocolException("the connection ended inside a record");
        return new FastCgiRecord((FastCgiRecordType)header[1], BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)), body[..length]);
    }
}
