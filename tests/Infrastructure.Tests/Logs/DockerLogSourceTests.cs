using ControlPanel.Core.Logs;
using ControlPanel.Infrastructure.Docker.Logs;
using ControlPanel.TestSupport;
using Docker.DotNet.Models;

namespace ControlPanel.Infrastructure.Tests.Logs;

/// <summary>The engine's log stream as the source reads it, for the container id and TTY flag its caller inspected.</summary>
public sealed class DockerLogSourceTests : EngineTestBase
{
    [Fact]
    public async Task TtyContainer_ReadsAsPlainLines_WithTheFlagItsCallerInspected()
    {
        var node = Lab.SharedNodes[0];
        var created = await Containers.Client(node).Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"{Containers.RunId}-tty",
            Image = Lab.Image("busybox"),
            Tty = true,
            Labels = new Dictionary<string, string> { [LabContainers.RunLabel] = Containers.RunId },
            HostConfig = new HostConfig { NetworkMode = "host" },
            Entrypoint = ["/bin/sh", "-c", "for i in 1 2 3; do echo tty $i; done"],
        });
        await Containers.Client(node).Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        await Containers.WaitForLogAsync(node, created.ID, "tty 3", TimeSpan.FromSeconds(15));

        // Through Core: the reader inspects once and hands the source the id and the flag.
        var reader = new LogRangeReader(new DockerLogSource(Services.Http), Services.Fleet);
        var lines = new List<LogLine>();
        await foreach (var line in reader.ReadAsync(node.Name, $"{Containers.RunId}-tty", new LogQuery(Tail: null, Follow: false), default)) lines.Add(line);

        Assert.Equal(["tty 1", "tty 2", "tty 3"], lines.Select(l => l.Text));
        Assert.All(lines, l => Assert.Equal(created.ID, l.ContainerId));
        Assert.All(lines, l => Assert.Equal(LogStream.Stdout, l.Stream));
    }
}
