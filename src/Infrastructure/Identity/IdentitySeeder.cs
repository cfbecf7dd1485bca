using ControlPanel.Core.Security;
using Microsoft.AspNetCore.Identity;

namespace ControlPanel.Infrastructure.Identity;

/// <summary>Makes sure the four roles exist; run after migrations at start-up and by the CLI.</summary>
public sealed class IdentitySeeder(RoleManager<IdentityRole> roles)
{
    public async Task EnsureRolesAsync()
    {
        foreach (var role in Enum.GetNames<Role>())
        {
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
        }
    }
}
