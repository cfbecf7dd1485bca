using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using ControlPanel.Core.Webhooks;

namespace ControlPanel.Infrastructure.Webhooks;

/// <summary>
/// The addresses a webhook must not reach unless an Admin allowed it: loopback, this machine's own addresses,
/// link-local (169.254/16, fe80::/10, where cloud metadata services answer) and the unspecified address.
/// </summary>
public sealed class PrivateAddresses : IWebhookAddressCheck
{
    public async Task<string?> FindPrivateAddressAsync(Uri url, CancellationToken cancellationToken)
    {
        IPAddress[] resolved;
        try
        {
            resolved = IPAddress.TryParse(url.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            // A host that does not resolve now cannot be judged; the sender checks again at every connection.
            return null;
        }
        return resolved.FirstOrDefault(IsPrivate)?.ToString();
    }

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes() is [169, 254, ..]) return true;
        if (address.IsIPv6LinkLocal) return true;
        return OwnAddresses().Contains(address);
    }

    private static HashSet<IPAddress> OwnAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(u => u.Address))
                .ToHashSet();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }
}
