using System.Text;
using ControlPanel.Core.Common;
using ControlPanel.TestSupport;

namespace ControlPanel.Infrastructure.Tests.Docker;

/// <summary>Commands and files inside real containers, through the node's engine only (exec and archive).</summary>
public sealed class ContainerExecTests : EngineTestBase
{
    [Fact]
    public async Task Run_ReturnsTheExitCodeAndBothStreams()
    {
        var node = Lab.SharedNodes[0];
        var id = await Containers.RunAsync(node, "busybox", "exec", shellCommand: "sleep 300");

        var result = await Services.Exec.RunAsync(node, id, ["sh", "-c", "echo out; echo err >&2; exit 3"], default);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\nerr\n", result.Output);
    }

    [Fact]
    public async Task Run_KeepsOnlyTheFirst64KiBOfAFloodOfOutput()
    {
        var node = Lab.SharedNodes[1];
        var id = await Containers.RunAsync(node, "busybox", "flood", shellCommand: "sleep 300");

        var result = await Services.Exec.RunAsync(node, id, ["sh", "-c", "yes 0123456789abcdef | head -c 1000000"], default);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(64 * 1024, result.Output.Length);
    }

    [Fact]
    public async Task WriteThenRead_ReplacesTheFile_AndAMissingFileReadsAsNull()
    {
        var node = Lab.SharedNodes[2];
        var id = await Containers.RunAsync(node, "busybox", "files", shellCommand: "mkdir -p /etc/demo; echo old > /etc/demo/a.conf; sleep 300");
        await LabContainers.WaitUntilAsync(async () => await Services.Exec.ReadFileAsync(node, id, "/etc/demo/a.conf", default) is not null, TimeSpan.FromSeconds(10), "the first file");

        await Services.Exec.WriteFileAsync(node, id, "/etc/demo/a.conf", Encoding.UTF8.GetBytes("upstream fpm { server 127.0.0.1:9000; }\n"), default);

        Assert.Equal("upstream fpm { server 127.0.0.1:9000; }\n", Encoding.UTF8.GetString((await Services.Exec.ReadFileAsync(node, id, "/etc/demo/a.conf", default))!));
        Assert.Equal("upstream fpm { server 127.0.0.1:9000; }\n", (await Services.Exec.RunAsync(node, id, ["cat", "/etc/demo/a.conf"], default)).Output);
        Assert.Null(await Services.Exec.ReadFileAsync(node, id, "/etc/demo/none.conf", default));

        // Larger than one chunk of the engine's chunked answer (an upstream of many replicas).
        var large = string.Concat(Enumerable.Range(0, 4000).Select(i => $"    server 127.0.0.1:{20000 + i};\n"));
        await Services.Exec.WriteFileAsync(node, id, "/etc/demo/large.conf", Encoding.UTF8.GetBytes(large), default);
        Assert.Equal(large, Encoding.UTF8.GetString((await Services.Exec.ReadFileAsync(node, id, "/etc/demo/large.conf", default))!));
        var small = "upstream fpm {\n" + string.Concat(Enumerable.Range(0, 12).Select(i => $"    server 127.0.0.1:{28100 + i};  # node{i % 3 + 1} 0123456789ab\n")) + "}\n";
        await Services.Exec.WriteFileAsync(node, id, "/etc/demo/small.conf", Encoding.UTF8.GetBytes(small), default);
        Assert.Equal(small, Encoding.UTF8.GetString((await Services.Exec.ReadFileAsync(node, id, "/etc/demo/small.conf", default))!));
    }

    [Fact]
    public async Task ManyAtOnce_EachGetsItsOwnOutput_AndTheNodesClientKeepsWorking()
    {
        // Drains of a batch read connections from several replicas of one node at the same moment.
        var node = Lab.SharedNodes[1];
        var id = await Containers.RunAsync(node, "busybox", "parallel", shellCommand: "mkdir -p /etc/demo; echo data > /etc/demo/f.conf; sleep 300");
        await LabContainers.WaitUntilAsync(async () => await Services.Exec.ReadFileAsync(node, id, "/etc/demo/f.conf", default) is not null, TimeSpan.FromSeconds(10), "the file");

        var outputs = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            var run = await Services.Exec.RunAsync(node, id, ["sh", "-c", $"echo run {i}"], default);
            var file = await Services.Exec.ReadFileAsync(node, id, "/etc/demo/f.conf", default);
            return (run.Output, File: Encoding.UTF8.GetString(file!));
        }));

        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"run {i}\n"), outputs.Select(o => o.Output));
        Assert.All(outputs, o => Assert.Equal("data\n", o.File));
        Assert.Contains(await Services.Engine.ListContainersAsync(node, default), c => c.Id == id);
        Assert.Equal("after\n", (await Services.Exec.RunAsync(node, id, ["echo", "after"], default)).Output);
    }

    [Fact]
    public async Task Read_AFileLargerThanOneTarBlock_ReturnsAllOfIt()
    {
        // An upstream of six replicas with the panel's comments is over 512 bytes: the size that broke reading.
        var node = Lab.SharedNodes[0];
        var id = await Containers.RunAsync(node, "busybox", "large", shellCommand: "sleep 300");
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 100).Select(i => $"    server 127.0.0.1:{30000 + i};\n")));

        await Services.Exec.WriteFileAsync(node, id, "/upstream.conf", content, default);

        Assert.Equal(content, await Services.Exec.ReadFileAsync(node, id, "/upstream.conf", default));
    }

    [Fact]
    public async Task AnUnknownContainer_IsNotFound_AndAStoppedOneIsRefusedByTheEngine()
    {
        var node = Lab.SharedNodes[0];
        await Assert.ThrowsAsync<ContainerNotFoundException>(() => Services.Exec.ReadFileAsync(node, "no-such-container", "/etc/hosts", default));
        await Assert.ThrowsAsync<ContainerNotFoundException>(() => Services.Exec.RunAsync(node, "no-such-container", ["true"], default));
        var stopped = await Containers.RunAsync(node, "busybox", "stopped", shellCommand: "true", start: false);

        var refused = await Assert.ThrowsAsync<EngineRefusedException>(() => Services.Exec.RunAsync(node, stopped, ["true"], default));
        Assert.Contains("not running", refused.Message, StringComparison.OrdinalIgnoreCase);
    }
}
