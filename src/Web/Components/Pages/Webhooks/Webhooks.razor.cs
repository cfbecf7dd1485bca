using ControlPanel.Core.Common;
using ControlPanel.Core.Timeline;
using ControlPanel.Core.Webhooks;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Web.Components.Pages.Webhooks;

public sealed partial class Webhooks
{
    [Inject] private WebhookService Service { get; set; } = default!;
    [Inject] private WebhookOptions Options { get; set; } = default!;
    [Inject] private ILogger<Webhooks> Logger { get; set; } = default!;

    private IReadOnlyList<Webhook> _webhooks = [];
    private WebhookForm _form = new();
    private Webhook? _editing;
    private string? _error;
    private Guid? _testing;
    private TestResult? _testResult;
    private Webhook? _logOf;
    private IReadOnlyList<WebhookAttempt> _log = [];
    private string _window = "";

    protected override async Task OnInitializedAsync()
    {
        _window = Options.DeduplicationWindow.TotalMinutes >= 1 ? $"{Options.DeduplicationWindow.TotalMinutes:0.#} minutes" : $"{Options.DeduplicationWindow.TotalSeconds:0} seconds";
        _webhooks = await Service.ListAsync(default);
    }

    private static string KindLabel(FleetEventKind kind) => WebhookKinds.Describe(kind);

    private void Toggle(FleetEventKind kind, bool on)
    {
        if (on) _form.Kinds.Add(kind);
        else _form.Kinds.Remove(kind);
    }

    private void Edit(Webhook w)
    {
        (_editing, _error) = (w, null);
        _form = new WebhookForm
        {
            Name = w.Name, Url = w.Url, Format = w.Format, Kinds = [.. w.Kinds], UnhealthyMinutes = Math.Max(1, (int)w.UnhealthyFor.TotalMinutes),
            Enabled = w.Enabled, AllowPrivateAddress = w.AllowPrivateAddress,
        };
    }

    private void Reset() => (_editing, _form, _error) = (null, new WebhookForm(), null);

    private async Task SaveAsync()
    {
        try
        {
            // An empty secret box keeps the stored secret (it is never sent back to the page to be edited); "" removes it.
            // The field shows whole minutes; a threshold of 30 s or 90 s set through the API stays as it is unless edited.
            var unhealthyFor = _editing is { } before && _form.UnhealthyMinutes == Math.Max(1, (int)before.UnhealthyFor.TotalMinutes)
                ? before.UnhealthyFor : TimeSpan.FromMinutes(_form.UnhealthyMinutes);
            var change = new WebhookChange(_form.Name ?? "", _form.Url ?? "", [.. _form.Kinds], _form.Format, unhealthyFor,
                _form.RemoveSecret ? "" : string.IsNullOrEmpty(_form.Secret) ? null : _form.Secret, _form.Enabled, _form.AllowPrivateAddress);
            await Service.SaveAsync(_editing?.Id, change, default);
            Reset();
            _webhooks = await Service.ListAsync(default);
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = Unexpected(ex, "Saving the webhook");
        }
    }

    private async Task DeleteAsync(Webhook w)
    {
        try
        {
            await Service.DeleteAsync(w.Id, default);
            if (_logOf?.Id == w.Id) _logOf = null;
            if (_editing?.Id == w.Id) Reset();
            _webhooks = await Service.ListAsync(default);
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = Unexpected(ex, $"Deleting webhook {w.Name}");
        }
    }

    private async Task SendTestAsync(Webhook w)
    {
        _testing = w.Id;
        try
        {
            var attempt = await Service.SendTestAsync(w.Id, default);
            _testResult = new TestResult(attempt.Succeeded, attempt.StatusCode is { } code
                ? $"Test to {w.Name}: the receiver answered {code} in {attempt.Duration.TotalMilliseconds:0} ms."
                : $"Test to {w.Name} failed: {attempt.Error}");
            if (_logOf?.Id == w.Id) _log = await Service.AttemptsAsync(w.Id, 100, default);
        }
        catch (ControlPanelException ex)
        {
            _testResult = new TestResult(false, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _testResult = new TestResult(false, Unexpected(ex, $"Sending a test to {w.Name}"));
        }
        finally
        {
            _testing = null;
        }
    }

    private async Task ShowLogAsync(Webhook w)
    {
        _logOf = w;
        _log = await Service.AttemptsAsync(w.Id, 100, default);
    }

    /// <summary>A failure nobody foresaw (the database, say): logged with its trace, told to the user in one line without it.</summary>
    private string Unexpected(Exception ex, string what)
    {
        Logger.LogError(ex, "{What} failed on the webhooks page", what);
        return $"{what} failed unexpectedly: {ex.GetBaseException().Message} Nothing was changed; see the panel's log.";
    }

    private sealed record TestResult(bool Succeeded, string Text);

    private sealed class WebhookForm
    {
        public string? Name { get; set; }
        public string? Url { get; set; }
        public WebhookFormat Format { get; set; }
        public HashSet<FleetEventKind> Kinds { get; set; } = [];
        public int UnhealthyMinutes { get; set; } = 5;
        public string? Secret { get; set; }
        /// <summary>Editing a webhook that has a secret: remove it, so deliveries go unsigned.</summary>
        public bool RemoveSecret { get; set; }
        public bool Enabled { get; set; } = true;
        public bool AllowPrivateAddress { get; set; }
    }
}
