using System.Buffers.Binary;
using System.Text;
using ControlPanel.Infrastructure.FastCgi;

namespace ControlPanel.Infrastructure.Tests.FastCgi;

/// <summary>The record layout of the FastCGI specification (sections 3.3, 3.4, 5.1, 5.3), byte by byte.</summary>
public sealed class FastCgiRecordsTests
{
    [Fact]
    public void ARequest_IsBeginRequestAsResponder_ThenItsParams_ThenEmptyParamsAndStdin_EachPaddedToEightBytes()
    {
        var request = FastCgiRecords.Request(1, [new("SCRIPT_NAME", "/ping")]);

        var records = Records(request);
        Assert.Equal([FastCgiRecordType.BeginRequest, FastCgiRecordType.Params, FastCgiRecordType.Params, FastCgiRecordType.Stdin], records.Select(r => r.Type));
        Assert.All(records, r => Assert.Equal(1, r.RequestId));
        Assert.All(records, r => Assert.Equal(0, (FastCgiRecords.HeaderLength + r.Content.Length + r.Padding) % 8));
        Assert.Equal([0, 1, 0, 0, 0, 0, 0, 0], records[0].Content); // role FCGI_RESPONDER, flags 0: the server closes the connection
        Assert.Equal([11, 5, .. "SCRIPT_NAME"u8.ToArray(), .. "/ping"u8.ToArray()], records[1].Content);
        Assert.Empty(records[2].Content);
        Assert.Empty(records[3].Content);
        Assert.Equal([1, 1, 0, 1, 0, 8, 0, 0], request[..8]); // version 1, type 1, request id 1, length 8, no padding, reserved
    }

    [Fact]
    public void NameValueLengths_Above127_TakeFourBytesWithTheTopBitSet()
    {
        var value = new string('v', 300);

        var pairs = FastCgiRecords.Pairs([new("N", value), new(new string('n', 127), "")]);

        Assert.Equal(1, pairs[0]);
        Assert.Equal(0x8000_0000u | 300u, BinaryPrimitives.ReadUInt32BigEndian(pairs.AsSpan(1)));
        Assert.Equal("N" + value, Encoding.ASCII.GetString(pairs, 5, 301));
        Assert.Equal([127, 0], pairs[306..308]); // 127 still fits one byte
        Assert.Equal(306 + 2 + 127, pairs.Length);
    }

    [Fact]
    public void ParamsLongerThanOneRecord_AreSplitAcrossRecords()
    {
        var request = FastCgiRecords.Request(1, [new("BIG", new string('x', 70_000))]);

        var parameters = Records(request).Where(r => r.Type == FastCgiRecordType.Params).ToList();
        Assert.Equal([FastCgiRecords.MaxContentLength, 3 + 5 + 70_000 - FastCgiRecords.MaxContentLength, 0], parameters.Select(r => r.Content.Length));
    }

    [Fact]
    public async Task Reading_SkipsThePadding_AndReturnsNullAtTheEndOfTheStream()
    {
        using var stream = new MemoryStream();
        FastCgiRecords.Write(stream, FastCgiRecordType.Stdout, 1, "Status: 200\r\n\r\npong"u8);
        FastCgiRecords.Write(stream, FastCgiRecordType.EndRequest, 1, new byte[8]);
        stream.Position = 0;

        var stdout = await FastCgiRecords.ReadAsync(stream, CancellationToken.None);
        var end = await FastCgiRecords.ReadAsync(stream, CancellationToken.None);

        Assert.Equal((FastCgiRecordType.Stdout, "Status: 200\r\n\r\npong"), (stdout!.Type, Encoding.ASCII.GetString(stdout.Content)));
        Assert.Equal((FastCgiRecordType.EndRequest, 8), (end!.Type, end.Content.Length));
        Assert.Null(await FastCgiRecords.ReadAsync(stream, CancellationToken.None));
    }

    [Theory]
    [InlineData(new byte[] { 1, 6, 0 }, "inside a record header")]
    [InlineData(new byte[] { 1, 6, 0, 1, 0, 10, 0, 0, 65, 66 }, "inside a record")]
    [InlineData(new byte[] { 72, 84, 84, 80, 47, 49, 46, 49 }, "version 72")] // an HTTP server answering "HTTP/1.1"
    public async Task ATruncatedOrForeignStream_IsAProtocolError(byte[] bytes, string reason)
    {
        var error = await Assert.ThrowsAsync<FastCgiProtocolException>(() => FastCgiRecords.ReadAsync(new MemoryStream(bytes), CancellationToken.None));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Content-type: text/plain\r\n\r\npong\n", 200, "OK", "pong\n")]
    [InlineData("Status: 404 Not Found\r\nContent-type: text/html\r\n\r\nFile not found.\n", 404, "Not Found", "File not found.\n")]
    [InlineData("status:503\n\nbusy", 503, "", "busy")]
    public void AResponse_SplitsHeadersFromTheBody_AndTakesItsStatus(string stdout, int status, string reason, string body)
    {
        Assert.Equal(new FastCgiResponse(status, reason, body), FastCgiResponse.Parse(Encoding.UTF8.GetBytes(stdout)));
    }

    [Theory]
    [InlineData("pong")]
    [InlineData("Status: abc\r\n\r\npong")]
    public void AResponseWithoutHeadersOrAStatusCode_IsNoResponse(string stdout) =>
        Assert.Null(FastCgiResponse.Parse(Encoding.UTF8.GetBytes(stdout)));

    private sealed record RawRecord(FastCgiRecordType Type, int RequestId, byte[] Content, int Padding);

    /// <summary>Splits bytes into records by their headers, independently of the reader under test.</summary>
    private static List<RawRecord> Records(byte[] bytes)
    {
        var records = new List<RawRecord>();
        for (var at = 0; at < bytes.Length;)
        {
            Assert.Equal(1, bytes[at]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 4));
            var padding = bytes[at + 6];
            records.Add(new RawRecord((FastCgiRecordType)bytes[at + 1], BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 2)), bytes[(at + 8)..(at + 8 + length)], padding));
            at += 8 + length + padding;
        }
        return records;
    }
}
