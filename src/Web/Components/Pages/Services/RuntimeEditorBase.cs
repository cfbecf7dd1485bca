using ControlPanel.Core.Releases;
using Microsoft.AspNetCore.Components;

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

    protected bool HasError(params string[] fields) => ErrorFor(fields) is not null;

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
