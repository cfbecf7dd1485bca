using ControlPanel.Core.Logs;
using ControlPanel.TestSupport;
using ControlPanel.Web.Components.Pages.Logs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPanel.Web.Tests;

/// <summary>The log viewer's state over the real followers: skipped ranges recorded as gaps and loaded back in place; search computed off the render path.</summary>
public sealed class LogViewModelTests : ApiTestBase
{
    private LogViewModel NewViewModel() =>
        new(Factory.Services.GetRequiredService<ServiceLogs>(), Factory.Services.GetRequiredService<LogRangeReader>(), NullLogger<LogViewModel>.Instance);

    [Fact]
    public async Task SkippedLines_BecomeGaps_AndLoadingThemRestoresEveryLineInOrder()
    {
        var node = Lab.SharedNodes[0];
        const int written = 20_000;
        var id = await Containers.RunAsync(node, "busybox", "gaps", shellCommand: $"seq 1 {written}; exec sleep 3600", start: false);
        using var vm = NewViewModel();
        vm.QueueCapacity = 10;
        vm.Window = 100_000;
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
        await vm.WhenVisibleCurrentAsync(default);

        var texts = vm.Visible.Select(r => r.Line.Text).ToList();
        Assert.Equal(Enumerable.Range(1, written).Select(n => n.ToString()), texts);
        Assert.Empty(vm.Gaps);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => following);
    }

    [Fact]
    public async Task SearchOverAFullWindow_PastItsTimeBudget_ShowsTheNewestMatchesAndSaysItWasCutShort()
    {
        var node = Lab.SharedNodes[1];
        const int written = 100_000;
        var id = await Containers.RunAsync(node, "busybox", "search-budget", shellCommand: $"seq 1 {written}; exec sleep 3600");
        await Containers.WaitForLogAsync(node, id, $"\n{written}\n", TimeSpan.FromSeconds(30));
        using var vm = NewViewModel();
        vm.Window = written;
        using var stop = new CancellationTokenSource();
        var following = vm.FollowAsync([$"{node.Name}/{id}"], 0, DateTimeOffset.UtcNow.AddHours(-1), stop.Token);
        await LabContainers.WaitUntilAsync(async () => { await vm.WhenVisibleCurrentAsync(default); return vm.Visible.Count == written; },
            TimeSpan.FromSeconds(60), "the whole log in the window");
        var matching = Enumerable.Range(1, written).Select(n => n.ToString()).Where(t => t.Contains('5', StringComparison.Ordinal)).ToList();

        // One millisecond cannot search 100,000 lines: the pass stops, keeps what it found among the newest, and says so.
        vm.SearchBudget = TimeSpan.FromMilliseconds(1);
        vm.SetSearch("5", regex: false, caseSensitive: false, onlyMatching: true);
        await vm.WhenVisibleCurrentAsync(default);

        var shown = vm.Visible.Select(r => r.Line.Text).ToList();
        Assert.Contains("Search cut short after 1 ms", vm.ViewNote, StringComparison.Ordinal);
        Assert.Contains($"of {written:N0} lines", vm.ViewNote, StringComparison.Ordinal);
        Assert.InRange(shown.Count, 1, matching.Count - 1);
        Assert.Equal(matching.TakeLast(shown.Count), shown);

        // Given the time, the same search covers the whole window.
        vm.SearchBudget = TimeSpan.FromMinutes(1);
        vm.SetSearch("5", regex: false, caseSensitive: false, onlyMatching: true);
        await vm.WhenVisibleCurrentAsync(default);

        Assert.Null(vm.ViewNote);
        Assert.Equal(matching, vm.Visible.Select(r => r.Line.Text));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => following);
    }

    [Fact]
    public async Task ASearchTooSlowForOneLine_IsDroppedWithAnError_AndReadingTheViewRaisesNothing()
    {
        var node = Lab.SharedNodes[2];
        var id = await Containers.RunAsync(node, "busybox", "search-slow", shellCommand: $"for i in 1 2 3; do echo {new string('a', 60)}!; done; exec sleep 3600");
        await Containers.WaitForLogAsync(node, id, "!", TimeSpan.FromSeconds(15));
        using var vm = NewViewModel();
        using var stop = new CancellationTokenSource();
        var following = vm.FollowAsync([$"{node.Name}/{id}"], 10, null, stop.Token);
        await LabContainers.WaitUntilAsync(async () => { await vm.WhenVisibleCurrentAsync(default); return vm.Visible.Count == 3; },
            TimeSpan.FromSeconds(20), "the three lines in the view");

        // Nested alternatives backtrack exponentially on a run of 'a' that cannot end the match.
        vm.SetSearch("^(a|aa)+$", regex: true, caseSensitive: false, onlyMatching: true);
        await LabContainers.WaitUntilAsync(() => Task.FromResult(vm.SearchError is not null), TimeSpan.FromSeconds(20), "the search to be refused");
        await vm.WhenVisibleCurrentAsync(default);
        var changes = 0;
        vm.Changed += () => Interlocked.Increment(ref changes);
        var reads = Enumerable.Range(0, 3).Select(_ => vm.Visible.Count).ToList();

        Assert.Contains("'search' took longer than 50 ms on one line", vm.SearchError, StringComparison.Ordinal);
        Assert.Null(vm.Search);
        Assert.Equal([3, 3, 3], reads);
        Assert.Equal(0, changes);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => following);
    }
}
