using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPanel.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddFleetEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "fleet_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Node = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ContainerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ContainerName = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Service = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ExitCode = table.Column<int>(type: "INTEGER", nullable: true),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DeploymentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    BuildId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Release = table.Column<int>(type: "INTEGER", nullable: true),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    LastAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fleet_events", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_fleet_events_At",
                table: "fleet_events",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_fleet_events_Kind",
                table: "fleet_events",
                column: "Kind");

            migrationBuilder.CreateIndex(
                name: "IX_fleet_events_Node_ContainerId_At",
                table: "fleet_events",
                columns: new[] { "Node", "ContainerId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_fleet_events_Service_At",
                table: "fleet_events",
                columns: new[] { "Service", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "fleet_events");
        }
    }
}
