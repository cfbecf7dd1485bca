using System.Formats.Tar;
using System.Text;
using ControlPanel.Infrastructure.Git;

namespace ControlPanel.Infrastructure.Tests.Git;

public sealed class BuildContextWriterTests : IDisposable
{
    private const int Files = 5_000;
    private const int FileSize = 1_024;
    private readonly string _archive = Path.Combine(Path.GetTempPath(), $"cp-context-{Guid.NewGuid():N}.tar");

    public void Dispose() => File.Delete(_archive);

    [Fact]
    public async Task Cancel_WhileWritingALargeTree_StopsWithinAFewFiles()
    {
        // Deep names full of 'a' and a pattern that made the old regular-expression matcher backtrack for seconds per file.
        await WriteArchiveAsync("**/**/**/**/**/**/**/*a*a*a*a*a*a*b\n");
        await using var source = File.OpenRead(_archive);
        using var cancel = new CancellationTokenSource();
        const long cancelAfter = 50L * FileSize;
        var destination = new CancellingStream(cancelAfter, cancel);

        var writing = BuildContextWriter.WriteAsync(source, "Dockerfile", null, destination, cancel.Token);

        // The bound only keeps a hang from holding the test run.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writing.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(cancel.IsCancellationRequested);
        // A tar entry is its data plus about 1.5 KB of headers: at most a few files went out after the cancel.
        Assert.InRange(destination.Length, cancelAfter, cancelAfter + 5 * 3 * FileSize);
    }

    [Fact]
    public async Task PathologicalIgnorePattern_StillFiltersTheWholeTree()
    {
        await WriteArchiveAsync("**/**/**/**/**/**/**/*a*a*a*a*a*a*b\n");
        await using var source = File.OpenRead(_archive);
        using var destination = new MemoryStream();

        var info = await BuildContextWriter.WriteAsync(source, "Dockerfile", null, destination, default).WaitAsync(TimeSpan.FromSeconds(60));

        // Every tenth file's name ends in 'b' and is left out; the Dockerfile and .dockerignore always go in.
        Assert.NotNull(info);
        Assert.Equal((Files / 10, Files - Files / 10 + 2), (info.Ignored, info.Files));
    }

    private async Task WriteArchiveAsync(string dockerignore)
    {
        await using var file = File.Create(_archive);
        await using var writer = new TarWriter(file, TarEntryFormat.Pax);
        await writer.WriteEntryAsync(Entry(".dockerignore", Encoding.UTF8.GetBytes(dockerignore)));
        await writer.WriteEntryAsync(Entry("Dockerfile", "FROM scratch\n"u8.ToArray()));
        var folder = string.Join('/', Enumerable.Repeat(new string('a', 30), 8));
        var data = new byte[FileSize];
        for (var i = 0; i < Files; i++)
            await writer.WriteEntryAsync(Entry($"{folder}/{new string('a', 20)}{i}{(i % 10 == 0 ? "b" : "")}", data));
    }

    private static PaxTarEntry Entry(string name, byte[] data) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data), Mode = UnixFileMode.UserRead };

    /// <summary>Counts what is written and cancels the build once a given amount has gone out, as a user pressing cancel mid-context.</summary>
    private sealed class CancellingStream(long cancelAfter, CancellationTokenSource cancel) : MemoryStream
    {
        // MemoryStream's other Write overloads end here for a derived type.
        public override void Write(byte[] buffer, int offset, int count)
        {
            base.Write(buffer, offset, count);
            if (Length >= cancelAfter) cancel.Cancel();
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.ToArray(), 0, buffer.Length);
            return ValueTask.CompletedTask;
        }
    }
}
