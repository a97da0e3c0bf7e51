export {
  parseRelationshipsCsv,
  parseSubmissionCsv,
  splitImagePair,
  type CsvProblem,
  type CsvProblemKind,
  type KinPair,
  type RelationshipsCsv,
  type SubmissionCsv,
  type SubmissionPair,
} from './csv';
export {
  IMAGE_EXTENSIONS,
  SKIP_REASON_TEXT,
  buildDataset,
  type Dataset,
  type DatasetReport,
  type Family,
  type FileEntry,
  type Member,
  type PairWithoutPhotos,
  type ReadText,
  type SkipReason,
  type SkippedFile,
  type TestPair,
  type TestPairMissingImages,
} from './dataset';
export {
  EMBEDDING_DB_NAME,
  EmbeddingCache,
  openEmbeddingCache,
  type CachedEmbedding,
  type EncoderCacheStats,
} from './embedding-cache';
export { compareIds, familyOf, parseMemberId, type FamilyId, type MemberId } from './ids';
export {
  buildPairPool,
  buildValidationPairs,
  createPairSampler,
  isListedKin,
  poolsForSplit,
  sameFamilyNonKin,
  type PairBatch,
  type PairPool,
  type PairSampler,
  type PoolMember,
  type ValidationPairs,
} from './pairs';
export {
  SEED_SPLIT,
  assertUsableSplit,
  describeSplit,
  rotationSplit,
  splitFamilies,
  type FamilySplit,
  type SplitSpec,
} from './splits';
export { writeSubmission, type ScorePairs, type SubmissionResult } from './submission';
