using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Web.Components.Pages.Nodes;

public partial class NodeEditor
{
    [Inject] private NodeAdministration Admin { get; set; } = default!;

    /// <summary>The stored node to change; null to add one.</summary>
    [Parameter] public NodeDefinition? Node { get; set; }

    /// <summary>Called with true after a save, false on cancel.</summary>
    [Parameter] public EventCallback<bool> OnClosed { get; set; }

    private string? _name, _endpoint, _labels, _caPem, _certificatePem, _keyPem, _error, _field;
    private bool _allowInsecureTcp, _busy;
    private EngineInfo? _tested;

    private bool IsEdit => Node is not null;

    protected override void OnInitialized()
    {
        if (Node is null) return;
        (_name, _endpoint, _allowInsecureTcp) = (Node.Name, Node.Endpoint, Node.IsInsecure);
        _labels = string.Join(", ", Node.Labels.Select(l => $"{l.Key}={l.Value}"));
    }

    private bool Has(string field) => _field == field;

    private string? ErrorOf(string field) => _field == field ? _error : null;

    private Task TestAsync() => RunAsync(async ct => _tested = await Admin.TestAsync(Request(), ct));

    private Task SaveAsync() => RunAsync(async ct =>
    {
        if (IsEdit) await Admin.UpdateAsync(Node!.Name, Request(), ct);
        else await Admin.AddAsync(Request(), ct);
        await OnClosed.InvokeAsync(true);
    });

    private async Task RunAsync(Func<CancellationToken, Task> action)
    {
        (_busy, _error, _field, _tested) = (true, null, null, null);
        try
        {
            await action(CancellationToken.None);
        }
        catch (InvalidRequestException ex)
        {
            (_error, _field) = (ex.Message, FieldShown(ex.Field));
        }
        catch (ControlPanelException ex)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    // An error on a field the form has no box for shows below the form instead of vanishing.
    private static string? FieldShown(string field) =>
        field is "name" or "endpoint" or "labels" or "caPem" or "certificatePem" or "keyPem" ? field : null;

    private NodeRequest Request()
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (_labels ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            labels[pair.Split('=', 2)[0].Trim()] = pair.Split('=', 2) is [_, var value] ? value.Trim() : "";
        // Empty boxes on an edit keep the stored certificates: they are never sent back to the page.
        static string? Pem(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
        return new NodeRequest(_name ?? "", _endpoint ?? "", labels, Pem(_caPem), Pem(_certificatePem), Pem(_keyPem), _allowInsecureTcp);
    }
}
