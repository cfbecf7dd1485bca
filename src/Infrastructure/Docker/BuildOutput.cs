using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ControlPanel.Core.Builds;
using Docker.DotNet.Models;

namespace ControlPanel.Infrastructure.Docker;

/// <summary>
/// Reads the classic builder's messages: "Step n/m : INSTRUCTION" starts a step, " ---> Using cache" marks it
/// cached, aux {"ID": ...} names the image, errorDetail ends the build. Text can arrive split across messages.
/// </summary>
internal sealed partial class BuildOutput(IBuildProgress progress)
{
    private readonly StringBuilder _partial = new();

    public BuildStep? CurrentStep { get; private set; }
    public string? ImageId { get; private set; }
    public string? Error { get; private set; }

    public void Handle(JSONMessage message)
    {
        if (message.Error?.Message is { Length: > 0 } error) Error = error.Trim();
        if (message.Aux is { } aux && JsonSerializer.SerializeToElement(aux) is { ValueKind: JsonValueKind.Object } json
            && json.TryGetProperty("ID", out var id) && id.GetString() is { Length: > 0 } imageId)
            ImageId = imageId;
        if (message.Status is { Length: > 0 } status) progress.Log(message.ID is { Length: > 0 } layer ? $"{layer}: {status}" : status);
        if (message.Stream is not { Length: > 0 } text) return;
        _partial.Append(text);
        var all = _partial.ToString();
        var end = all.LastIndexOf('\n');
        if (end < 0) return;
        _partial.Clear().Append(all[(end + 1)..]);
        foreach (var line in all[..end].Split('\n')) Line(line.TrimEnd('\r'));
    }

    public void Flush()
    {
        if (_partial.Length > 0) Line(_partial.ToString());
        _partial.Clear();
    }

    private void Line(string line)
    {
        if (line.Length == 0) return;
        progress.Log(line);
        if (StepLine().Match(line) is { Success: true } step)
        {
            CurrentStep = new BuildStep(int.Parse(step.Groups[1].ValueSpan), int.Parse(step.Groups[2].ValueSpan), step.Groups[3].Value, Cached: false);
            progress.Step(CurrentStep);
        }
        else if (line.Trim() == "---> Using cache" && CurrentStep is { } current)
        {
            CurrentStep = current with { Cached = true };
            progress.Step(CurrentStep);
        }
    }

    [GeneratedRegex(@"^Step (\d+)/(\d+) : (.*)$")]
    private static partial Regex StepLine();
}
