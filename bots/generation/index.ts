export {
  UnavailableGenerator,
  type Generator,
  type GenerationRequest,
  type GenerationResult,
} from './generator.js';
export { GeneratorChain } from './generator-chain.js';
