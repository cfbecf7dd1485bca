using ControlPanel.Core.Releases;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPanel.Web.Components.Pages.Services;

/// <summary>What is wrong with the spec being edited: the validation field (runtime.update.parallelism) and the message in words.</summary>
public sealed record RuntimeProblem(string Field, string Message);

/// <summary>
/// A part of the runtime form. The spec is immutable: each change hands the parent a new spec, which the parent checks
/// and shows in JSON, so the form and the JSON view never disagree.
/// </summary>
public abstract class RuntimeEditorBase : ComponentBase
{
    [Parameter, EditorRequired] public RuntimeSpec Spec { get; set; } = new();
    [Parameter] public EventCallback<RuntimeSpec> SpecChanged { get; set; }
    /// <summary>The spec's first problem; shown next to the field it names.</summary>
    [Parameter] public RuntimeProblem? Problem { get; set; }

    protected Task Set(RuntimeSpec next) => SpecChanged.InvokeAsync(next);

    /// <summary>The problem's message when it is about one of <paramref name="fields"/> (validation names, e.g. runtime.ports).</summary>
    protected string? ErrorFor(params string[] fields) => Problem is { } p && fields.Contains(p.Field) ? p.Message : null;

    /// <summary>
    /// The problem's message under the field, when it is about one of <paramref name="fields"/>. Rendered beside the
    /// MudBlazor input rather than through its Error parameter, which the input's own validation resets after each change.
    /// </summary>
    protected RenderFragment? Message(params string[] fields) => ErrorFor(fields) is not { } message ? null : builder =>
    {
        builder.OpenComponent<MudText>(0);
        builder.AddComponentParameter(1, nameof(MudText.Typo), Typo.caption);
        builder.AddComponentParameter(2, nameof(MudText.Color), Color.Error);
        builder.AddComponentParameter(3, nameof(MudText.Class), "d-block mt-1");
        builder.AddAttribute(4, "data-error", fields[0]);
        builder.AddAttribute(5, "role", "alert");
        builder.AddComponentParameter(6, nameof(MudText.ChildContent), (RenderFragment)(text => text.AddContent(0, message)));
        builder.CloseComponent();
    };

    protected static IReadOnlyList<T> Replace<T>(IReadOnlyList<T> list, int index, T item) => [.. list.Take(index), item, .. list.Skip(index + 1)];

    protected static IReadOnlyList<T> Without<T>(IReadOnlyList<T> list, int index) => [.. list.Take(index), .. list.Skip(index + 1)];

    /// <summary>A list typed one item a line, as the form shows volumes, nodes and tags.</summary>
    protected static IReadOnlyList<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Name=value pairs typed one a line, as the form shows labels.</summary>
    protected static IReadOnlyDictionary<string, string> Pairs(string? text)
    {
        var pairs = new Dictionary<string, string>();
        foreach (var line in Lines(text))
        {
            var eq = line.IndexOf('=');
            pairs[(eq < 0 ? line : line[..eq]).Trim()] = eq < 0 ? "" : line[(eq + 1)..].Trim();
        }
        return pairs;
    }

    protected static string PairsText(IReadOnlyDictionary<string, string> pairs) => string.Join('\n', pairs.Select(p => $"{p.Key}={p.Value}"));
}
