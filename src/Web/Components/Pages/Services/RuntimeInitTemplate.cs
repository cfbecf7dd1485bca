using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPanel.Core.Common;

namespace ControlPanel.Web.Components.Pages.Services;

/// <summary>Reads and sets <c>init</c> of a runtime spec being edited as JSON, for the editor's checkbox; saving still validates it.</summary>
public static class RuntimeInitTemplate
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>True when the JSON says init: true; false for anything else, unreadable JSON included.</summary>
    public static bool Current(string? json)
    {
        try
        {
            return JsonNode.Parse(json ?? "")?["init"] is JsonValue value && value.TryGetValue<bool>(out var init) && init;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The JSON with init set.</summary>
    /// <exception cref="InvalidRequestException">The JSON is not an object.</exception>
    public static string With(string? json, bool init)
    {
        var spec = RuntimeHealthTemplate.Parse(json, "choosing an init process");
        spec["init"] = init;
        return spec.ToJsonString(Indented);
    }
}
