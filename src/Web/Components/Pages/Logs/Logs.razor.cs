using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Logs;
using ControlPanel.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ControlPanel.Web.Components.Pages.Logs;

public sealed partial class Logs
{
    private const int MaxShown = 2_000;
    /// <summary>Source labels shown in the header's one row; more go in a menu.</summary>
    private const int MaxSourceChips = 4;
    private readonly CancellationTokenSource _closed = new();
    private readonly HashSet<long> _expanded = [];
    private RenderThrottle? _throttle;
    private string? _search;
    private bool _regex;
    private bool _caseSensitive;
    private bool _onlyMatching;
    private string? _error;
    private ElementReference _view;
    private IJSObjectReference? _module;
    private DotNetObjectReference<Logs>? _self;
    private string? _rangeSince;
    private string? _rangeUntil;
    private string? _rangeError;
    private List<LogRow>? _engineResults;
    private bool _local;
    private TimeSpan _offset;
    private bool _following = true;
    private bool _allNotes;

    /// <summary>One or more "node/container" sources: ?c=node1/api&amp;c=node2/api.</summary>
    [SupplyParameterFromQuery(Name = "c")] public string[]? Sources { get; set; }
    /// <summary>A service: all its replicas on every node, followed across deployments (?service=web).</summary>
    [SupplyParameterFromQuery(Name = "service")] public string? Service { get; set; }
    [SupplyParameterFromQuery(Name = "tail")] public int? Tail { get; set; }
    /// <summary>Start from this time (ISO 8601) instead of the last lines.</summary>
    [SupplyParameterFromQuery(Name = "since")] public string? Since { get; set; }
    /// <summary>A linked line: its timestamp in Unix milliseconds; the view starts just before it and marks it.</summary>
    [SupplyParameterFromQuery(Name = "at")] public long? At { get; set; }
    /// <summary>Lines kept in the browser (1,000–100,000; default 10,000).</summary>
    [SupplyParameterFromQuery(Name = "window")] public int? WindowSize { get; set; }

    [Inject] private LogViewModel Vm { get; set; } = default!;
    [Inject] private LogViewerQuota Quota { get; set; } = default!;
    [Inject] private ICurrentActor Actor { get; set; } = default!;
    [Inject] private Microsoft.JSInterop.IJSRuntime Js { get; set; } = default!;

    private ICollection<LogRow> VisibleRows => (ICollection<LogRow>)Vm.Visible;

    protected override void OnInitialized()
    {
        _throttle = new RenderThrottle(() => InvokeAsync(StateHasChanged), TimeSpan.FromMilliseconds(100));
        Vm.Changed += _throttle.Request;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || !RendererInfo.IsInteractive) return;
        if (Sources is not { Length: > 0 } && string.IsNullOrWhiteSpace(Service))
        {
            _error = "Choose what to follow: open Logs from a service or a container, or add ?service=name or ?c=node/container to the address.";
            StateHasChanged();
            return;
        }
        _module = await Js.InvokeAsync<IJSObjectReference>("import", "./js/logs.js");
        _self = DotNetObjectReference.Create(this);
        await _module.InvokeVoidAsync("follow", _view, _self, 20);
        _offset = TimeSpan.FromMinutes(await _module.InvokeAsync<int>("timezoneOffsetMinutes"));
        try
        {
            Vm.Window = Math.Clamp(WindowSize ?? 10_000, 1_000, 100_000);
            var since = At is { } at ? LinkedMoment(at) : ParseSince(Since);
            var user = (await Actor.GetAsync(_closed.Token)).Name;
            IDisposable Reserve() => Quota.Acquire(user, 1); // per source followed, released when it is dropped
            var tail = Math.Clamp(Tail ?? 200, 0, 1000);
            if (Sources is { Length: > 0 }) await Vm.FollowAsync(LogViewerQuota.Distinct(Sources, "c"), tail, since, _closed.Token, Reserve);
            else await Vm.FollowServiceAsync(Service!, tail, _closed.Token, Reserve);
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
            StateHasChanged();
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    private void TogglePause() => Vm.SetPaused(!Vm.Paused);

    /// <summary>Labels on every line when lines can come from more than one container (always for a service: replicas change).</summary>
    private bool ShowSources => Vm.Service is not null || Vm.KnownSources.Count > 1;

    /// <summary>Called by js/logs.js when the reader scrolls away from the newest line, or back to it.</summary>
    [JSInvokable]
    public Task SetFollowing(bool following)
    {
        _following = following;
        return InvokeAsync(StateHasChanged);
    }

    private async Task JumpToLiveAsync()
    {
        if (Vm.Paused) Vm.SetPaused(false);
        _following = true;
        if (_module is not null) await _module.InvokeVoidAsync("jumpToLive", _view);
    }

    private static DateTimeOffset? ParseSince(string? value) => ParseTime(value, "since");

    private string Time(LogRow row) => (_local ? row.Line.Timestamp.ToOffset(_offset) : row.Line.Timestamp.ToUniversalTime()).ToString("HH:mm:ss.fff");

    /// <summary>A second before the linked line's time (?at=, Unix milliseconds), so the line itself is read too.</summary>
    private static DateTimeOffset LinkedMoment(long at) =>
        at is >= 0 and <= 253_402_300_799_000 // up to 9999-12-31, the last moment DateTimeOffset can hold
            ? DateTimeOffset.FromUnixTimeMilliseconds(at).AddSeconds(-1)
            : throw new InvalidRequestException("at", $"'at' must be a time in Unix milliseconds, as in a line's link; got {at}.");

    private bool IsLinked(LogRow row) => At == row.Line.Timestamp.ToUnixTimeMilliseconds();

    /// <summary>A link to the line among the same containers; in a service's view, among its own replica's lines (replicas change).</summary>
    private string LineUrl(LogRow row) =>
        "/logs?" + string.Join("&", (Sources is { Length: > 0 } ? Sources : [$"{row.Source.Node}/{ShortId(row.Source.ContainerId)}"]).Select(s => "c=" + Uri.EscapeDataString(s)))
        + $"&at={row.Line.Timestamp.ToUnixTimeMilliseconds()}";

    private static string ShortId(string id) => id.Length > 12 ? id[..12] : id;

    private static string DownloadUrl(LogSourceInfo source) => $"/api/nodes/{Uri.EscapeDataString(source.Node)}/containers/{ShortId(source.ContainerId)}/logs/download";

    private async Task DownloadVisibleAsync()
    {
        if (_module is not null) await _module.InvokeVoidAsync("saveText", $"logs-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log", Vm.VisibleAsText());
    }

    private async Task SearchEnginesAsync()
    {
        try
        {
            _rangeError = null;
            var since = ParseTime(_rangeSince, "since");
            var until = ParseTime(_rangeUntil, "until");
            _engineResults = (await Vm.SearchEnginesAsync(since, until, _closed.Token)).ToList();
        }
        catch (ControlPanelException ex)
        {
            _rangeError = ex.Message;
        }
    }

    private static DateTimeOffset? ParseTime(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? null
        : DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t
        : throw new InvalidRequestException(field, $"'{field}' must be a time such as 2026-11-26T02:00:00Z; got '{value}'.");

    private Task LoadGapAsync(LogGap gap) => RunAsync(() => Vm.LoadGapAsync(gap, _closed.Token));

    private Task LoadOlderAsync() => RunAsync(() => Vm.LoadOlderAsync(_closed.Token));

    /// <summary>Called by js/logs.js when the user scrolls to the top; returns how many older lines arrived.</summary>
    [JSInvokable]
    public async Task<int> LoadOlder()
    {
        try
        {
            var added = await Vm.LoadOlderAsync(_closed.Token);
            StateHasChanged(); // render now, so the script can keep the user's place
            return added;
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
            return 0;
        }
    }

    private async Task RunAsync(Func<Task> load)
    {
        try
        {
            await load();
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
        }
    }

    private async Task CopyAsync(LogRow row)
    {
        if (_module is not null) await _module.InvokeVoidAsync("copyText", row.Line.Text);
    }

    private void OnSearch(string? value)
    {
        _search = value;
        ApplySearch();
    }

    private void ApplySearch() => Vm.SetSearch(_search, _regex, _caseSensitive, _onlyMatching);

    private bool IsCut(LogRow row) => row.Line.Text.Length > MaxShown && !_expanded.Contains(row.Seq);

    /// <summary>A very long line shows its first <see cref="MaxShown"/> characters until asked for all.</summary>
    private IEnumerable<TextSpan> Cut(LogRow row)
    {
        if (!IsCut(row)) return row.Spans;
        var left = MaxShown;
        var cut = new List<TextSpan>();
        foreach (var span in row.Spans)
        {
            if (left <= 0) break;
            cut.Add(span.Text.Length <= left ? span : span with { Text = span.Text[..left] });
            left -= span.Text.Length;
        }
        return cut;
    }

    private IReadOnlyList<(string Text, bool Match)> Highlight(string text) => Vm.Search?.Highlight(text) ?? [(text, false)];

    public void Dispose()
    {
        _ = _module?.DisposeAsync().AsTask();
        _self?.Dispose();
        if (_throttle is not null) Vm.Changed -= _throttle.Request;
        _throttle?.Dispose();
        _closed.Cancel();
        _closed.Dispose();
        // Transient services live as long as the circuit; the engine streams must end with the page.
        Vm.Dispose();
    }
}
