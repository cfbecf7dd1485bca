using Docker.DotNet.Models;

namespace ControlPanel.Infrastructure.Docker;

/// <summary>
/// Docker.DotNet reports a stream's JSON messages through IProgress; this handles each one in order on the
/// reading thread (Progress&lt;T&gt; would post them to a synchronization context, out of order with the call's end).
/// </summary>
internal sealed class MessageHandler(Action<JSONMessage> handle) : IProgress<JSONMessage>
{
    public void Report(JSONMessage value) => handle(value);
}
