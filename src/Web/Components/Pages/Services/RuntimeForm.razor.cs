using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Core.Services;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Web.Components.Pages.Services;

/// <summary>
/// Holds the spec being edited (secrets masked) and its JSON, checks it after every change as saving would, and keeps
/// Save disabled while anything is wrong, so an invalid spec is never stored.
/// </summary>
public partial class RuntimeForm
{
    [Inject] private ServiceCatalog Catalog { get; set; } = default!;

    [Parameter, EditorRequired] public ServiceRevision Current { get; set; } = default!;
    [Parameter] public EventCallback<ServiceRevision> Saved { get; set; }

    private RuntimeSpec _spec = new();
    private string _json = "";
    private string? _jsonError, _message;
    private RuntimeProblem? _problem;
    private (string Service, int Revision)? _loaded;

    private bool CanSave => _jsonError is null && _problem is null;

    // Only a new revision resets the form: a re-render of the page must not throw away what is being typed.
    protected override void OnParametersSet()
    {
        if (_loaded == (Current.Service, Current.Number)) return;
        _loaded = (Current.Service, Current.Number);
        Show(SecretMasking.MaskSecrets(Current.Runtime ?? new RuntimeSpec()));
    }

    private void Show(RuntimeSpec spec)
    {
        (_spec, _json, _jsonError) = (spec, RuntimeJson.Write(spec), null);
        Check();
    }

    private void ChangeAsync(RuntimeSpec spec)
    {
        _message = null;
        Show(spec);
    }

    private void JsonChanged(string? json)
    {
        (_json, _message) = (json ?? "", null);
        try
        {
            (_spec, _jsonError) = (KeepTypedSecrets(RuntimeJson.Read(json), _spec), null);
            Check();
        }
        catch (InvalidRequestException ex)
        {
            _jsonError = ex.Message;
        }
    }

    /// <summary>
    /// The JSON shows a secret typed in the form as the mask, like a stored one; reading it back must keep what was
    /// typed, or saving would silently keep the old stored value (or refuse a new secret as having none).
    /// </summary>
    private static RuntimeSpec KeepTypedSecrets(RuntimeSpec read, RuntimeSpec before)
    {
        var typed = before.Environment.Where(e => e.Secret && e.Value != SecretMasking.Mask).ToDictionary(e => e.Name, e => e.Value);
        if (typed.Count == 0) return read;
        return read with
        {
            Environment = [.. read.Environment.Select(e => e.Secret && e.Value == SecretMasking.Mask && typed.TryGetValue(e.Name, out var value) ? e with { Value = value } : e)],
        };
    }

    private void Check()
    {
        try
        {
            Catalog.CheckRuntime(_spec);
            _problem = null;
        }
        catch (InvalidRequestException ex)
        {
            _problem = new RuntimeProblem(ex.Field, RuntimeFieldNames.Explain(ex));
        }
    }

    private async Task SaveAsync()
    {
        Check();
        if (!CanSave) return;
        try
        {
            var (revision, changed) = await Catalog.SaveAsync(Current.Service, Current.Build, _spec, default);
            _message = changed ? $"Saved as revision {revision.Number}." : "Nothing changed; no new revision.";
            if (changed) await Saved.InvokeAsync(revision);
        }
        catch (InvalidRequestException ex)
        {
            _problem = new RuntimeProblem(ex.Field, RuntimeFieldNames.Explain(ex));
        }
        catch (ControlPanelException ex)
        {
            _problem = new RuntimeProblem("runtime", ex.Message);
        }
    }
}
