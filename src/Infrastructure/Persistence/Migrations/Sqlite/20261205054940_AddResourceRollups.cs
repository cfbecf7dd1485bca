using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPanel.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddResourceRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "resource_rollups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Node = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ContainerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Service = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    MinuteUnixSeconds = table.Column<long>(type: "INTEGER", nullable: false),
                    CpuPercentOfHost = table.Column<double>(type: "REAL", nullable: false),
                    CpuPercentOfLimit = table.Column<double>(type: "REAL", nullable: true),
                    MemoryBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    MemoryLimitBytes = table.Column<long>(type: "INTEGER", nullable: true),
                    NetworkRxBytesPerSecond = table.Column<double>(type: "REAL", nullable: false),
                    NetworkTxBytesPerSecond = table.Column<double>(type: "REAL", nullable: false),
                    BlockReadBytesPerSecond = table.Column<double>(type: "REAL", nullable: false),
                    BlockWriteBytesPerSecond = table.Column<double>(type: "REAL", nullable: false),
                    Pids = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resource_rollups", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_resource_rollups_MinuteUnixSeconds",
                table: "resource_rollups",
                column: "MinuteUnixSeconds");

            migrationBuilder.CreateIndex(
                name: "IX_resource_rollups_Node_ContainerId_MinuteUnixSeconds",
                table: "resource_rollups",
                columns: new[] { "Node", "ContainerId", "MinuteUnixSeconds" });

            migrationBuilder.CreateIndex(
                name: "IX_resource_rollups_Service_MinuteUnixSeconds",
                table: "resource_rollups",
                columns: new[] { "Service", "MinuteUnixSeconds" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "resource_rollups");
        }
    }
}
