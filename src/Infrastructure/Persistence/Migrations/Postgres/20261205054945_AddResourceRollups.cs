using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ControlPanel.Infrastructure.Persistence.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Node = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ContainerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Service = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    MinuteUnixSeconds = table.Column<long>(type: "bigint", nullable: false),
                    CpuPercentOfHost = table.Column<double>(type: "double precision", nullable: false),
                    CpuPercentOfLimit = table.Column<double>(type: "double precision", nullable: true),
                    MemoryBytes = table.Column<long>(type: "bigint", nullable: false),
                    MemoryLimitBytes = table.Column<long>(type: "bigint", nullable: true),
                    NetworkRxBytesPerSecond = table.Column<double>(type: "double precision", nullable: false),
                    NetworkTxBytesPerSecond = table.Column<double>(type: "double precision", nullable: false),
                    BlockReadBytesPerSecond = table.Column<double>(type: "double precision", nullable: false),
                    BlockWriteBytesPerSecond = table.Column<double>(type: "double precision", nullable: false),
                    Pids = table.Column<int>(type: "integer", nullable: false)
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
