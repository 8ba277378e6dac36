import GRDB

/// The results file's schema, as GRDB migrations (applied in order, each
/// once, recorded in `grdb_migrations`).
///
/// Version 1:
///
/// ```sql
/// CREATE TABLE sweep_info (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
/// CREATE TABLE points (
///   point_id        TEXT PRIMARY KEY NOT NULL,  -- FNV-1a of parameters (DesignPoint.id)
///   status          TEXT NOT NULL CHECK (status IN ('done', 'infeasible', 'failed')),
///   reason          TEXT,     -- why infeasible, or the error of a failed point
///   model           TEXT NOT NULL,
///   device          TEXT NOT NULL,
///   batch           INTEGER NOT NULL,
///   default_bits    INTEGER,  -- NULL: the device's native precision
///   precision       TEXT NOT NULL,  -- 'conv1=8/fl5;convs=4', '' when none
///   hardware        TEXT NOT NULL,  -- 'array_size=16;clock=150000000', '' when none
///   parameters      TEXT NOT NULL,  -- the canonical text point_id hashes
///   latency_s       REAL,     -- whole batch; NULL unless done
///   energy_j        REAL,     -- per inference
///   energy_mac_j    REAL,
///   energy_ops_j    REAL,
///   energy_dram_j   REAL,
///   energy_onchip_j REAL,
///   energy_static_j REAL,
///   dram_bytes      INTEGER,  -- backing-store bytes of the batch, both ways
///   top1            REAL      -- top-1 accuracy in [0, 1] where evaluated
/// ) WITHOUT ROWID;
/// ```
///
/// Version 2 adds the precision search's outcomes:
///
/// ```sql
/// CREATE TABLE search_choices (
///   context           TEXT PRIMARY KEY NOT NULL, -- model, device, batch, hardware: a point's canonical text without precision
///   objective         TEXT NOT NULL,   -- 'energy' or 'latency'
///   max_accuracy_drop REAL NOT NULL,   -- the budget, top-1 points below float
///   float_top1        REAL NOT NULL,   -- the float model's top-1 on the evaluation set
///   start_point_id    TEXT NOT NULL,   -- the most precise point (the reference)
///   chosen_point_id   TEXT,            -- NULL when even the start misses the budget
///   steps             TEXT NOT NULL,   -- the moves, 'axis=setting' joined by ';'
///   evaluations       INTEGER NOT NULL,-- distinct points the search evaluated
///   reason            TEXT             -- why nothing was chosen
/// ) WITHOUT ROWID;
/// ```
///
/// Version 3 adds the claims concurrent workers on one file share the
/// points by (see ``ResultsStore/claim(_:by:)``):
///
/// ```sql
/// CREATE TABLE claims (
///   point_id   TEXT PRIMARY KEY NOT NULL, -- a point being evaluated, not yet in points
///   worker     TEXT NOT NULL,    -- the claiming run's random identifier
///   host       TEXT NOT NULL,    -- its host name
///   pid        INTEGER NOT NULL, -- its process identifier on that host
///   claimed_at REAL NOT NULL,    -- Unix time, seconds
///   expires_at REAL NOT NULL     -- Unix time; the worker renews it while it runs
/// ) WITHOUT ROWID;
/// ```
///
/// Version 4 adds a compressed point's settings and measured sizes
/// (`edgesim sweep` with `compression` axes; COMPRESSION.md):
///
/// ```sql
/// ALTER TABLE points ADD COLUMN compression TEXT NOT NULL DEFAULT '';
///   -- 'huffman=1;all/density=0.5;/fc/Gemm/cluster_bits=4', '' when none
/// ALTER TABLE points ADD COLUMN stored_bits INTEGER;
///   -- the compressed layers' stored bits, weights and biases (§8)
/// ALTER TABLE points ADD COLUMN compression_ratio REAL;
///   -- their raw bits over stored bits
/// ```
///
/// Every file EdgeSim writes carries ``applicationID`` in its header
/// (`PRAGMA application_id`) and ``version`` (`PRAGMA user_version`), so a
/// results file is told from any other SQLite file before anything is
/// written to it.
public enum ResultsSchema {
  /// `PRAGMA application_id` of a results file: ASCII `EdSm`.
  public static let applicationID: Int32 = 0x4564_536D

  /// `PRAGMA user_version` of a file at the newest schema: the number of
  /// migrations.
  public static let version: Int32 = 4

  /// The migrations, in order.
  public static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE sweep_info (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
          CREATE TABLE points (
            point_id TEXT PRIMARY KEY NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('done', 'infeasible', 'failed')),
            reason TEXT,
            model TEXT NOT NULL,
            device TEXT NOT NULL,
            batch INTEGER NOT NULL,
            default_bits INTEGER,
            precision TEXT NOT NULL,
            hardware TEXT NOT NULL,
            parameters TEXT NOT NULL,
            latency_s REAL,
            energy_j REAL,
            energy_mac_j REAL,
            energy_ops_j REAL,
            energy_dram_j REAL,
            energy_onchip_j REAL,
            energy_static_j REAL,
            dram_bytes INTEGER,
            top1 REAL
          ) WITHOUT ROWID;
          """)
    }
    migrator.registerMigration("v2-search") { db in
      try db.execute(
        sql: """
          CREATE TABLE search_choices (
            context TEXT PRIMARY KEY NOT NULL,
            objective TEXT NOT NULL CHECK (objective IN ('energy', 'latency')),
            max_accuracy_drop REAL NOT NULL,
            float_top1 REAL NOT NULL,
            start_point_id TEXT NOT NULL,
            chosen_point_id TEXT,
            steps TEXT NOT NULL,
            evaluations INTEGER NOT NULL,
            reason TEXT
          ) WITHOUT ROWID;
          """)
    }
    migrator.registerMigration("v3-claims") { db in
      try db.execute(
        sql: """
          CREATE TABLE claims (
            point_id TEXT PRIMARY KEY NOT NULL,
            worker TEXT NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            claimed_at REAL NOT NULL,
            expires_at REAL NOT NULL
          ) WITHOUT ROWID;
          """)
    }
    migrator.registerMigration("v4-compression") { db in
      try db.execute(
        sql: """
          ALTER TABLE points ADD COLUMN compression TEXT NOT NULL DEFAULT '';
          ALTER TABLE points ADD COLUMN stored_bits INTEGER;
          ALTER TABLE points ADD COLUMN compression_ratio REAL;
          """)
    }
    return migrator
  }

  /// The columns of `points` at version 1 (and in files written before
  /// schema versions), in table order.
  public static let version1PointColumns = [
    "point_id", "status", "reason", "model", "device", "batch", "default_bits",
    "precision",
    "hardware", "parameters", "latency_s", "energy_j", "energy_mac_j",
    "energy_ops_j",
    "energy_dram_j", "energy_onchip_j", "energy_static_j", "dram_bytes", "top1",
  ]

  /// The columns of `points`, in table order.
  public static let pointColumns =
    version1PointColumns + ["compression", "stored_bits", "compression_ratio"]
}
