using ControlPanel.Core.Logs;
using ControlPanel.TestSupport;
using ControlPanel.Web.Components.Pages.Logs;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests;

/// <summary>The log viewer's state over the real followers: skipped ranges recorded as gaps and loaded back in place.</summary>
public sealed class LogViewModelTests : ApiTestBase
{
    [Fact]
    public async Task SkippedLines_BecomeGaps_AndLoadingThemRestoresEveryLineInOrder()
    {
        var node = Lab.SharedNodes[0];
        const int written = 20_000;
        var id = await Containers.RunAsync(node, "busybox", "gaps", shellCommand: $"seq 1 {written}; exec sleep 3600", start: false);
        using var vm = new LogViewModel(Factory.Services.GetRequiredService<LogFollowers>(), Factory.Services.GetRequiredService<LogRangeReader>())
            { QueueCapacity = 10, Window = 100_000 };
        using var stop = new CancellationTokenSource();
        // A view that can only take a few lines at a time falls behind a fast writer.
        vm.Changed += () => Thread.Sleep(2);
        var following = vm.FollowAsync([$"{node.Name}/{id}"], 0, null, stop.Token);
        await Task.Delay(500);
        await Containers.Client(node).Containers.StartContainerAsync(id, new global::Docker.DotNet.Models.ContainerStartParameters());
        // The log goes quiet right after the flood: the last run of skipped lines must still be located.
        await LabContainers.WaitUntilAsync(() => Task.FromResult(vm.Received + vm.Skipped == written && vm.Gaps.Sum(g => g.Count) == vm.Skipped),
            TimeSpan.FromSeconds(60), "every line received or located as skipped");

        Assert.True(vm.Skipped > 0, "the slow view skipped lines");
        Assert.NotEmpty(vm.Gaps);
        Assert.Equal(vm.Skipped, vm.Gaps.Sum(g => g.Count));
        foreach (var gap in vm.Gaps.ToList()) await vm.LoadGapAsync(gap, default);

        var texts = vm.Visible.Select(r => r.Line.Text).ToList();
        Assert.Equal(Enumerable.Range(1, written).Select(n => n.ToString()), texts);
        Assert.Empty(vm.Gaps);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => following);
    }
}
